import Foundation
import Stats

/// The stored results of a run folder, cell by cell in id order, each checked against the
/// stored configuration (`checkedResult`).
func storedResults(_ folder: RunFolder) throws -> [CellResult] {
    let config = try storedConfig(folder)
    let plan = config.cells
    let keys = Set(config.evaluationKeys)
    return try folder.finishedCellIDs().sorted().map { id in
        let path = folder.resultFile(id: id)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExperimentError.io(path: path, reason: "the file vanished while reading the run")
        }
        return try checkedResult(data, path: path, id: id, plan: plan, keys: keys)
    }
}

/// The tidy table: one row per (cell, evaluation), then one per (cell, remedy, evaluation), columns
/// `cell,model,train_res,test_res,method,antialias,seed,top1,top5,loss,n,top1_low,top1_high,note,remedy`.
/// Accuracies are shares in 0...1 with 6 decimals; `top1_low`/`top1_high` bound top-1 by the 95 %
/// Wilson score interval over the n test images. A model that cannot run at a resolution has
/// empty metrics and the reason in `note`. `remedy` is empty for the untreated model, else the
/// remedy's name (`bn-recal`, …; see `RemedyKind`); it is the last column, so readers of tables
/// written before it existed (which end at `note`) keep working by column name or position.
func resultsCSV(_ results: [CellResult], remedies: [RemedyResult] = []) -> String {
    var csv = "cell,model,train_res,test_res,method,antialias,seed,top1,top5,loss,n,top1_low,top1_high,note,remedy\n"
    func number(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "" }
    func row(_ cell: Cell, _ e: EvaluationRecord, remedy: RemedyKind?) -> String {
        let interval = e.top1.map { wilsonInterval(successes: Int(($0 * Double(e.count)).rounded()), trials: e.count) }
        let fields = [String(cell.id), csvField(cell.model.name), String(cell.trainResolution), String(e.key.resolution),
                      e.key.method.rawValue, String(e.key.antialias), String(cell.seed),
                      number(e.top1), number(e.top5), number(e.loss), String(e.count),
                      number(interval?.lower), number(interval?.upper),
                      csvField(e.cannotRun.map { "cannot run: " + $0 } ?? ""), remedy?.rawValue ?? ""]
        return fields.joined(separator: ",") + "\n"
    }
    for result in results {
        for e in result.evaluations { csv += row(result.cell, e, remedy: nil) }
        for treated in remedies where treated.cell.id == result.cell.id {
            csv += row(result.cell, treated.record, remedy: treated.remedy)
        }
    }
    return csv
}

/// Rebuilds results.csv from the cell files (atomically; any process may do it at any time).
func writeResultsTable(_ folder: RunFolder) throws {
    try writeAtomically(resultsCSV(storedResults(folder), remedies: storedRemedies(folder)), to: folder.resultsFile)
}
