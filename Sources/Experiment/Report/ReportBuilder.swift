import Foundation
import NN
import Report
import Resample
import Yams

/// Rebuilds results.csv and report.html of the run folder at `path`; returns the report's path.
public func rebuildReport(runFolder path: String, options: ReportOptions = ReportOptions()) throws -> String {
    let folder = RunFolder(path: path)
    guard folder.exists else { throw ExperimentError.notARunFolder(path) }
    try writeResultsTable(folder)
    return try writeReport(folder, options: options)
}

/// Renders report.html from what `folder` stores (config, environment, data.json, cell results,
/// predictions); cells without a result are simply absent from it. Returns the report's path.
/// Refuses a `referenceMethod` that none of the stored evaluations used.
public func writeReport(_ folder: RunFolder, options: ReportOptions = ReportOptions()) throws -> String {
    let data = try reportData(folder)
    if let reference = options.referenceMethod {
        var methods: [Filter] = []
        for evaluation in data.evaluations where !methods.contains(evaluation.method) { methods.append(evaluation.method) }
        guard methods.contains(reference) else {
            throw ExperimentError.unknownReferenceMethod(name: reference, folder: folder.path, methods: methods)
        }
    }
    try writeAtomically(renderReport(data, options: options), to: folder.reportFile)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeAtomically(encoder.encode(summarizeReport(data, options: options)), to: folder.summaryFile)
    return folder.reportFile
}

/// The report's data, gathered from the run folder.
func reportData(_ folder: RunFolder) throws -> ReportData {
    let config = try storedConfig(folder)
    let results = try storedResults(folder)
    let stored = try readRunData(folder, cellsFinished: !results.isEmpty)
    let environment = (try? JSONDecoder().decode(RunEnvironment.self, from: Data(contentsOf: URL(fileURLWithPath: folder.environmentFile))))
    let classNames = stored?.classNames ?? results.first?.classNames ?? []
    var timings = stored.map { [Timing("decode data", seconds: $0.decodeSeconds)] } ?? []
    for result in results {
        timings.append(Timing("train " + result.cell.label, seconds: result.trainSeconds))
        timings.append(Timing("evaluate " + result.cell.label, seconds: result.evaluateSeconds))
    }
    var data = ReportData(
        experiment: config.name,
        configText: (try? String(contentsOfFile: folder.resolvedConfigFile, encoding: .utf8)) ?? "",
        environment: (environment?.entries ?? []).map { Entry($0.0, $0.1) },
        timings: timings,
        data: stored?.summary ?? DataSummary(source: config.dataset.folder ?? "generated", splits: [], skipped: []),
        classNames: classNames,
        testLabels: stored?.testLabels ?? [],
        models: try config.models.map { try modelInfo($0, config: config, classNames: classNames) },
        evaluations: try results.flatMap { try evaluations($0, folder: folder, classes: classNames.count) },
        examples: stored?.examples ?? [],
        trainingCurves: results.map { result in
            TrainingCurve(model: result.cell.model.name, trainResolution: result.cell.trainResolution, seed: result.cell.seed,
                          epochs: result.epochs.map {
                              EpochPoint(epoch: $0.epoch, trainLoss: $0.loss, heldOutTop1: $0.heldOutTop1, heldOutLoss: $0.heldOutLoss)
                          })
        })
    data.nyquist = try storedNyquistBudget(folder)
    data.testNames = stored?.testNames
    data.remedies = try remedyEvaluations(folder)
    return data
}

/// A result's evaluations with the predicted class of every test image (from predictions files).
private func evaluations(_ result: CellResult, folder: RunFolder, classes: Int) throws -> [Evaluation] {
    try result.evaluations.map { record in
        let outcome: Outcome
        if let reason = record.cannotRun {
            outcome = .cannotRun(reason: reason)
        } else {
            let predicted = try readPredictions(folder.predictionsFile(result.cell, record.key), count: record.count, classes: classes)
            var metrics = Metrics(top1: record.top1 ?? 0, top5: record.top5, loss: record.loss, count: record.count,
                                  predicted: predicted)
            metrics.shiftConsistency = record.shiftConsistency
            outcome = .measured(metrics)
        }
        return Evaluation(model: result.cell.model.name, trainResolution: result.cell.trainResolution, seed: result.cell.seed,
                          testResolution: record.key.resolution, method: record.key.method,
                          antialias: record.key.antialias, outcome: outcome)
    }
}

/// A model's summary and its architecture tables at every training × test resolution.
private func modelInfo(_ model: ModelConfig, config: ExperimentConfig, classNames: [String]) throws -> Report.ModelInfo {
    let trainResolutions = Array(Set(config.cells.filter { $0.model == model }.map(\.trainResolution))).sorted()
    let tables = try trainResolutions.flatMap { trainResolution in
        let info = try model.description(classNames: classNames.count >= 2 ? classNames : ["a", "b"],
                                         trainResolution: trainResolution, mean: [], std: [])
        let graph = try info.classifierGraph()
        return config.evaluation.resolutions.values.map {
            ArchitectureTable(graph: graph, channels: config.dataset.color.channels, trainResolution: trainResolution, testResolution: $0)
        }
    }
    var info = Report.ModelInfo(name: model.name, summary: model.summary, trainResolutions: trainResolutions, architectures: tables)
    if let onnx = model.onnx { info.pins = try onnx.imported().pins.map(\.sentence) }
    return info
}
