import Foundation
import Report

/// What `reslab compare` did: the folder it wrote and whether the runs' tests were paired.
public struct CompareSummary: Sendable {
    public var folder: String
    public var reportFile: String
    /// True when every run tested the same images in the same order, so differences between
    /// runs are paired tests on the same images; false: only each run's own intervals.
    public var paired: Bool
}

/// Writes one report over several run folders: each run's evaluations become series named
/// `<run> · <method>`, so the accuracy chart of a model (same name and training resolution in
/// several runs) overlays the runs, and the resize-method comparison compares every series with
/// the first run's first method. When all runs tested the same images (same data source, and
/// the same image names and labels in the same order), the per-image predictions pair them (McNemar, paired bootstrap); otherwise predictions
/// are dropped and the report compares intervals only. Writes `report.html` and `summary.json`
/// into `out` (default `runs/compare-<time>`).
public func compareRuns(_ paths: [String], out: String?, runsRoot: String = "runs") throws -> CompareSummary {
    guard paths.count >= 2 else {
        throw ExperimentError.badCompare("give two or more run folders to compare, e.g. reslab compare runs/a runs/b")
    }
    let names = runLabels(paths)
    var runs: [(name: String, data: ReportData, images: [String])] = []
    for (path, name) in zip(paths, names) {
        let folder = RunFolder(path: path)
        guard folder.exists else { throw ExperimentError.notARunFolder(path) }
        let data = try reportData(folder)
        guard !data.evaluations.isEmpty else {
            throw ExperimentError.badCompare("\(path) holds no finished cell yet; finish it (reslab run --resume \(path)) or leave it out")
        }
        runs.append((name, data, try testImageNames(folder)))
    }
    if let other = runs.first(where: { $0.data.classNames != runs[0].data.classNames }) {
        throw ExperimentError.badCompare("\(other.name) has the classes \(other.data.classNames.joined(separator: ", ")) but \(runs[0].name) has \(runs[0].data.classNames.joined(separator: ", ")); compare runs of the same classes")
    }
    // The same images: the same data source (a generated set names its images alike whatever
    // its seed), the same image names and labels in the same order.
    let paired = runs.allSatisfy {
        $0.data.data.source == runs[0].data.data.source && $0.images == runs[0].images && $0.data.testLabels == runs[0].data.testLabels
    }
    let merged = mergeRuns(runs.map { ($0.name, $0.data) }, paired: paired)

    let folder: RunFolder
    if let out { folder = RunFolder(path: out) } else {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        folder = RunFolder(path: runsRoot + "/compare-" + formatter.string(from: Date()))
    }
    if FileManager.default.fileExists(atPath: folder.reportFile) && !FileManager.default.fileExists(atPath: folder.path + "/compared.txt") {
        throw ExperimentError.badCompare("\(folder.path) already holds a report that is not a comparison; choose another --out folder")
    }
    try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
    try writeAtomically(zip(names, paths).map { "\($0) = \($1)\n" }.joined(), to: folder.path + "/compared.txt")
    try writeAtomically(renderReport(merged), to: folder.reportFile)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeAtomically(encoder.encode(summarizeReport(merged)), to: folder.summaryFile)
    return CompareSummary(folder: folder.path, reportFile: folder.reportFile, paired: paired)
}

/// Short distinct names for the runs: the folder names, or `run 1`, `run 2`, … when two share one.
private func runLabels(_ paths: [String]) -> [String] {
    let names = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
    return Set(names).count == names.count ? names : names.indices.map { "run \($0 + 1)" }
}

/// The image names of a run's test set, in predictions order (from its first predictions file).
private func testImageNames(_ folder: RunFolder) throws -> [String] {
    let root = folder.path + "/predictions"
    let cells = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    for cell in cells {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + cell)) ?? []).sorted()
        if let file = files.first(where: { $0.hasSuffix(".csv") }),
           let text = try? String(contentsOfFile: root + "/" + cell + "/" + file, encoding: .utf8) {
            return text.split(separator: "\n").dropFirst().map { line in
                // The name is the first field; quoted names may hold commas.
                line.hasPrefix("\"") ? String(line.dropFirst().prefix { $0 != "\"" }) : String(line.prefix { $0 != "," })
            }
        }
    }
    return []
}

/// One `ReportData` holding every run: evaluations marked with their run (curves `<run> · <method>`), training curves'
/// models `<run> · <model>`, models (architecture tables) taken once per name, the configuration
/// texts one after another. Without `paired`, per-image predictions are dropped (their images
/// differ), so no paired test is made across runs.
func mergeRuns(_ runs: [(name: String, data: ReportData)], paired: Bool) -> ReportData {
    var evaluations: [Evaluation] = []
    var models: [ModelInfo] = []
    var curves: [TrainingCurve] = []
    for (name, data) in runs {
        for var evaluation in data.evaluations {
            evaluation.run = name
            if !paired, case var .measured(metrics) = evaluation.outcome {
                metrics.predicted = []
                evaluation.outcome = .measured(metrics)
            }
            evaluations.append(evaluation)
        }
        for model in data.models where !models.contains(where: { $0.name == model.name }) { models.append(model) }
        curves += data.trainingCurves.map { var curve = $0; curve.model = "\(name) · \(curve.model)"; return curve }
    }
    let first = runs[0].data
    let sources = runs.map { "\($0.name): \($0.data.data.source)" }.joined(separator: "; ")
    return ReportData(
        experiment: "compare " + runs.map(\.name).joined(separator: " vs "),
        configText: runs.map { "# \($0.name)\n" + $0.data.configText }.joined(separator: "\n"),
        environment: first.environment,
        timings: runs.flatMap { run in run.data.timings.map { Timing(run.name + ": " + $0.phase, seconds: $0.seconds) } },
        data: DataSummary(source: sources + (paired ? " (the same test images: paired)" : " (different test images: not paired)"),
                          splits: first.data.splits, skipped: first.data.skipped),
        classNames: first.classNames, testLabels: paired ? first.testLabels : [],
        models: models, evaluations: evaluations, examples: [], trainingCurves: curves)
}
