import Foundation

/// One remedy applied to one trained cell and tested at one condition: what
/// `remedies/cell-NNNN/<remedy>-<key>.json` stores. Written last, atomically: its presence means
/// that remedy is done there (a rerun skips it), exactly like a cell's result file.
public struct RemedyResult: Codable, Sendable, Equatable {
    public var cell: Cell
    public var remedy: RemedyKind
    /// The treated model's metrics on the untreated evaluation's test images, at `record.key`
    /// (for `resize`, the key the images were first resized with).
    public var record: EvaluationRecord
    /// Wall seconds the remedy took to apply (recalibrating, fine-tuning, retraining; for a
    /// retrained model its whole training), evaluation excluded.
    public var seconds: Double
    /// What it did here, e.g. "swapped #21 maxpool 2 to ceil" (nodes as the architecture table names them).
    public var note: String?
}

extension RunFolder {
    public var remediesFolder: String { path + "/remedies" }

    /// `remedies/cell-0003/bn-recal-r20-bilinear.json`
    public func remedyFile(_ cell: Cell, _ remedy: RemedyKind, _ key: EvaluationKey) -> String {
        remediesFolder + "/\(cell.stem)/\(remedy.rawValue)-\(key.stem).json"
    }

    /// `predictions/cell-0003/bn-recal-r20-bilinear.csv`, beside the untreated ones.
    public func remedyPredictionsFile(_ cell: Cell, _ remedy: RemedyKind, _ key: EvaluationKey) -> String {
        path + "/predictions/\(cell.stem)/\(remedy.rawValue)-\(key.stem).csv"
    }

    /// The run folder inside this one where a retraining remedy trains (and can resume) its model.
    func remedyTrainingFolder(_ cell: Cell, _ remedy: RemedyKind) -> RunFolder {
        RunFolder(path: remediesFolder + "/\(cell.stem)/\(remedy.rawValue)")
    }
}

/// Every stored remedy result of `folder`, by cell id, then file name.
func storedRemedies(_ folder: RunFolder) throws -> [RemedyResult] {
    let manager = FileManager.default
    let cells = ((try? manager.contentsOfDirectory(atPath: folder.remediesFolder)) ?? []).filter { $0.hasPrefix("cell-") }.sorted()
    let decoder = JSONDecoder()
    return try cells.flatMap { stem in
        let names = ((try? manager.contentsOfDirectory(atPath: folder.remediesFolder + "/" + stem)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        return try names.map { name in
            let path = folder.remediesFolder + "/\(stem)/\(name)"
            do { return try decoder.decode(RemedyResult.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
                throw ExperimentError.io(path: path, reason: "not a remedy result (\(error)); delete it to run that remedy again")
            }
        }
    }
}
