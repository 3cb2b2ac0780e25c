import Foundation
import NN

extension RemedyRunner {
    /// A retraining remedy: trains the variant of `cell` (same data, seed, epochs and optimizer)
    /// as a one-cell run in `remedies/cell-NNNN/<remedy>/` — so a stopped training resumes from
    /// its saved state like any cell — tests it at `keys`, and stores the results beside the
    /// treated ones. Logs and skips a model whose BlurPool variant is the model itself or is not
    /// defined (`BlurPoolVariantError`).
    func retrain(_ remedy: RemedyKind, _ cell: Cell, keys: [EvaluationKey]) throws {
        var derived = config
        derived.remedies = nil
        derived.evaluation.resolutions = .list(keys.map(\.resolution))
        derived.evaluation.methods = [keys[0].method]
        derived.evaluation.antialias = [keys[0].antialias]
        var model = cell.model
        let note: String
        switch remedy {
        case .multires:
            let sizes = remedies.multiResolution(trainResolution: cell.trainResolution)
            let probe = try Model(info: cells.modelInfo(cell), seed: cell.seed)
            if let size = sizes.sizes.values.first(where: { probe.cannotRunReason(at: $0) != nil }) {
                folder.log("cell \(cell.id) remedy multires skipped: \(model.name) cannot train at \(size) px: \(probe.cannotRunReason(at: size)!)")
                return
            }
            derived.training.multiResolution = sizes
            let list = sizes.sizes.values.map(String.init).joined(separator: ", ")
            note = "retrained, \(derived.training.epochs) epochs, each batch " + (sizes.grow ? "growing over epochs through" : "drawn from") + " \(list) px"
        case .blurpool:
            let variant: ModelConfig?
            do { variant = try model.withBlurPool() } catch let error as BlurPoolVariantError {
                folder.log("cell \(cell.id) remedy blurpool skipped: \(error.message) (not measured)")
                return
            }
            guard let variant else {
                folder.log("cell \(cell.id) remedy blurpool skipped: \(model.name) has no max-pooling or strided layer to antialias")
                return
            }
            model = variant
            note = "retrained, \(derived.training.epochs) epochs: " + variant.summary
        case .resize, .rounding, .bnRecal, .fixres:
            preconditionFailure("\(remedy) treats the trained model")
        }
        let variant = Cell(id: cell.id, model: model, trainResolution: cell.trainResolution, seed: cell.seed)
        let nested = folder.remedyTrainingFolder(cell, remedy)
        let runner = CellRunner(config: derived, pipeline: pipeline, folder: nested, control: cells.control, progress: cells.progress)
        var records: [EvaluationKey: EvaluationRecord] = [:]
        let seconds: Double
        if let stored = try? JSONDecoder().decode(CellResult.self, from: Data(contentsOf: URL(fileURLWithPath: nested.resultFile(variant)))) {
            // Trained before: test the stored model at the sizes it has not seen yet.
            seconds = stored.trainSeconds
            for record in stored.evaluations { records[record.key] = record }
            let missing = keys.filter { records[$0] == nil }
            if !missing.isEmpty {
                let trained = try Model.load(from: nested.checkpointFile(variant))
                for key in missing {
                    records[key] = try trained.cannotRunReason(at: key.resolution).map {
                        EvaluationRecord(key: key, count: cells.data.test.count, cannotRun: $0)
                    } ?? runner.evaluate(trained, variant, key)
                }
            }
        } else {
            // A stop names the run folder, whose remedies continue on a rerun; the nested
            // one-cell folder is no run a user can resume.
            let result: CellResult
            do { result = try runner.run(variant) } catch ExperimentError.interrupted {
                throw ExperimentError.interrupted(runFolder: folder.path)
            }
            seconds = result.trainSeconds
            for record in result.evaluations { records[record.key] = record }
        }
        for key in keys {
            guard let record = records[key] else { continue }
            if record.cannotRun == nil {
                let copy = try Data(contentsOf: URL(fileURLWithPath: nested.predictionsFile(variant, key)))
                try writeAtomically(copy, to: folder.remedyPredictionsFile(cell, remedy, key))
            }
            try store(RemedyResult(cell: cell, remedy: remedy, record: record, seconds: seconds, note: note))
        }
    }
}
