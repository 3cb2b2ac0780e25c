import Datasets
import Foundation
import NN
import Yams

/// What `reslab eval` probes: a saved model on the user's own images.
public struct EvalOptions: Sendable {
    public var checkpoint: String
    /// A class-per-folder dataset with the checkpoint's classes: its val/ (or test/) split when it
    /// has one, else every image.
    public var data: String
    public var evaluation = EvaluationConfig()
    public var out: String?
    public var threads: Int
    public var memoryBudget = 4 << 30
    public var runsRoot = "runs"

    public init(checkpoint: String, data: String, threads: Int) {
        self.checkpoint = checkpoint
        self.data = data
        self.threads = threads
    }
}

/// Tests a checkpoint at every resolution × method of `options.evaluation`, writing a run folder
/// (one cell, no training) with results.csv, predictions and the report.
public func evaluateCheckpoint(_ options: EvalOptions, control: RunControl = RunControl(),
                               progress: @escaping (ProgressEvent) -> Void = { _ in }) throws -> RunSummary {
    let model = try Model.load(from: options.checkpoint)
    let info = model.info
    let name = URL(fileURLWithPath: options.checkpoint).deletingPathExtension().lastPathComponent
    var dataset = DatasetConfig()
    dataset.folder = options.data
    dataset.normalization = .fixed(mean: info.mean.map(Double.init), std: info.std.map(Double.init))
    var training = TrainingConfig()
    training.resolutions = [info.trainResolution]
    let config = ExperimentConfig(name: "eval-" + name, dataset: dataset,
                                  models: [ModelConfig(name: name, layers: info.layers, rounding: Rounding(rawValue: info.rounding) ?? .floor)],
                                  training: training, evaluation: options.evaluation, seeds: [0])

    var run = RunOptions(configPath: nil, threads: options.threads)
    run.out = options.out
    run.runsRoot = options.runsRoot
    run.fresh = true
    let folder = try chooseRunFolder(run, config: config)
    let text = try YAMLEncoder().encode(config)
    try prepare(folder, config: config, experimentText: text, threads: options.threads)
    progress(.runStarted(folder: folder.path, cells: 1, toRun: 1))

    let loadStart = Date()
    let test = try evaluationImages(options.data, classNames: info.classNames, budget: options.memoryBudget / 2,
                                    threads: options.threads)
    let data = LoadedData(classNames: info.classNames, train: ImageStore(images: [], labels: [], names: []),
                          test: test.store, skipped: test.skipped, source: options.data, mean: info.mean, std: info.std)
    try storeRunData(data, config: config, decodeSeconds: Date().timeIntervalSince(loadStart), in: folder)
    let runner = CellRunner(config: config, pipeline: TensorPipeline(data: data, budget: options.memoryBudget / 2),
                            folder: folder, control: control, progress: progress)
    let cell = config.cells[0]
    let started = Date()
    let evaluations = try runner.evaluate(model, cell)
    try runner.store(CellResult(cell: cell, classNames: info.classNames, epochs: [], trainSeconds: 0,
                                evaluateSeconds: Date().timeIntervalSince(started), evaluations: evaluations))
    try writeResultsTable(folder)
    return RunSummary(folder: folder.path, ran: [0], skipped: [], missing: [], resultsFile: folder.resultsFile,
                      reportFile: try writeReport(folder))
}

/// The images to probe: the folder's val/ or test/ split if it has one, else all of it; its
/// class folders must be the checkpoint's classes.
private func evaluationImages(_ root: String, classNames: [String], budget: Int, threads: Int) throws
    -> (store: ImageStore, skipped: [SkippedFile]) {
    let folder: ImageFolder
    do { folder = try ImageFolder.load(root: root, testFraction: 0) } catch { throw ExperimentError.dataset("\(error)") }
    guard folder.classNames == classNames else {
        throw ExperimentError.dataset("\(root) has the classes \(folder.classNames.joined(separator: ", ")), but the model was trained on \(classNames.joined(separator: ", ")); give a folder with one sub-folder per class of the model, named alike.")
    }
    var samples = folder.train
    if case .folders = folder.split { samples = folder.test }
    let (store, skipped) = ImageStore.decode(samples, root: root, budget: budget, threads: threads)
    return (store, folder.skipped + skipped)
}
