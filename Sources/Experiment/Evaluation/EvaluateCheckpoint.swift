import Datasets
import Foundation
import NN
import Yams

/// What `reslab eval` probes: a saved model on the user's own images.
public struct EvalOptions: Sendable {
    public var checkpoint: String
    /// A class-per-folder dataset with the checkpoint's classes.
    public var data: String
    /// Which of its images to test; nil chooses the held-out ones when they can be told apart,
    /// else all (`selectEvaluationImages`).
    public var split: EvalSplit?
    public var evaluation = EvaluationConfig()
    public var out: String?
    public var threads: Int
    public var memoryBudget = 4 << 30
    /// Bytes the evaluation may need at least (`MemoryEstimate`).
    public var memoryLimit = MemoryEstimate.defaultLimit
    public var runsRoot = "runs"
    /// How an ONNX model's input is prepared, and the file naming its outputs (ignored for a
    /// checkpoint, which records its own normalisation and classes).
    public var preprocessing = InputPreprocessing()
    public var classesFile: String?

    public init(checkpoint: String, data: String, threads: Int) {
        self.checkpoint = checkpoint
        self.data = data
        self.threads = threads
    }
}

/// What `reslab eval` did: the run folder, which images it tested, and warnings for the user.
public struct EvalSummary: Sendable {
    public var run: RunSummary
    /// "the 10 images held out from training (…)".
    public var tested: String
    /// Sentences: evaluated images that trained the model, a folder changed since training, …
    public var warnings: [String]
}

/// Tests a checkpoint at every resolution × method of `options.evaluation`, writing a run folder
/// (one cell, no training) with results.csv, predictions and the report. The run's configuration
/// holds the checkpoint's recorded model name, training settings and seed when it records them.
public func evaluateCheckpoint(_ options: EvalOptions, control: RunControl = RunControl(),
                               progress: @escaping (ProgressEvent) -> Void = { _ in }) throws -> EvalSummary {
    if ONNXSource.isModelPath(options.checkpoint) { return try evaluateImported(options, control: control, progress: progress) }
    let model = try Model.load(from: options.checkpoint)
    let info = model.info
    let record = model.record
    let (folder, selection) = try selectEvaluationImages(options.data, classNames: info.classNames,
                                                         record: record, split: options.split)
    let name = record?.modelName ?? URL(fileURLWithPath: options.checkpoint).deletingPathExtension().lastPathComponent
    var dataset = DatasetConfig()
    dataset.folder = options.data
    dataset.normalization = .fixed(mean: info.mean.map(Double.init), std: info.std.map(Double.init))
    dataset.color = info.channels == 1 ? .grayscale : .rgb
    var training = record?.experiment.training ?? TrainingConfig()
    training.resolutions = [info.trainResolution]
    let config = ExperimentConfig(name: "eval-" + name, dataset: dataset,
                                  models: [ModelConfig(name: name, layers: info.graph == nil ? info.layers : nil,
                                                       graph: info.graph.map { $0.map { GraphEntry.node(name: $0.name, layer: $0.layer, inputs: $0.inputs) } },
                                                       rounding: Rounding(rawValue: info.rounding) ?? .floor)],
                                  training: training, evaluation: options.evaluation, seeds: [record?.seed ?? 0])

    return try runEvaluation(config, model: model, folder: folder, selection: selection, options: options,
                             control: control, progress: progress)
}

/// Tests `model` (one cell of `config`, no training) on the images `selection` chose from
/// `folder`, writing the run folder with results.csv, predictions and the report. The data
/// are normalised with the model's recorded mean and std.
func runEvaluation(_ config: ExperimentConfig, model: Model, folder: ImageFolder, selection: EvalSelection, options: EvalOptions,
                   control: RunControl, progress: @escaping (ProgressEvent) -> Void) throws -> EvalSummary {
    let info = model.info
    try checkLimits(config, command: "reslab eval", options: evalOptionNames)
    do {
        try MemoryEstimate.check(config, limit: options.memoryLimit, scope: .testing)
    } catch let ExperimentError.tooMuchMemory(what, need, limit, _) {
        throw ExperimentError.tooMuchMemory(what: what, need: need, limit: limit, fix: "test at smaller --resolutions.")
    }

    var run = RunOptions(configPath: nil, threads: options.threads)
    run.out = options.out
    run.runsRoot = options.runsRoot
    run.fresh = true
    let runFolder = try chooseRunFolder(run, config: config)
    let created = !FileManager.default.fileExists(atPath: runFolder.path)
    // The run folder of an evaluation is complete or absent: a failure (unreadable images, no
    // image decoded) removes what this call made.
    let warnings = try removingFolderOnFailure(runFolder, created: created) { () throws -> [String] in
        let text = try YAMLEncoder().encode(config)
        try prepare(runFolder, config: config, experimentText: text, threads: options.threads)
        progress(.runStarted(folder: runFolder.path, cells: 1, toRun: 1))

        let loadStart = Date()
        let (test, skipped) = ImageStore.decode(selection.samples, root: options.data, budget: options.memoryBudget / 2,
                                                threads: options.threads)
        try checkSplits(classes: info.classNames.count, trainCount: 0, testCount: test.count, source: options.data, training: false)
        if info.channels == 1, let name = test.firstColorName {
            throw ExperimentError.dataset("\(options.checkpoint) takes 1-channel (grayscale) images, but \(options.data)/\(name) is in colour (RGB); convert the images to grayscale first, or evaluate a model trained on colour images (dataset.color: rgb).")
        }
        let warnings = selection.warnings + [selection.overlapWarning(test.names)].compactMap { $0 }
        let data = LoadedData(classNames: info.classNames, train: ImageStore(images: [], labels: [], names: []),
                              test: test, skipped: folder.skipped + skipped,
                              source: options.data + ": " + selection.description, mean: info.mean, std: info.std)
        try storeRunData(data, config: config, decodeSeconds: Date().timeIntervalSince(loadStart), in: runFolder)
        let runner = CellRunner(config: config, pipeline: TensorPipeline(data: data, budget: options.memoryBudget / 2),
                                folder: runFolder, control: control, progress: progress)
        let cell = config.cells[0]
        let started = Date()
        let evaluations = try runner.evaluate(model, cell)
        try runner.store(CellResult(cell: cell, classNames: info.classNames, epochs: [], trainSeconds: 0,
                                    evaluateSeconds: Date().timeIntervalSince(started), evaluations: evaluations))
        return warnings
    }
    try writeResultsTable(runFolder)
    let summary = RunSummary(folder: runFolder.path, ran: [0], skipped: [], missing: [], resultsFile: runFolder.resultsFile,
                             reportFile: try writeReport(runFolder))
    return EvalSummary(run: summary, tested: selection.description, warnings: warnings)
}

/// The options of `reslab eval` that set each configuration field, for limit messages.
private let evalOptionNames = ["evaluation.resolutions": "--resolutions", "evaluation.crop": "--crop-pct",
                               "evaluation.batch": "--batch", "models": "--model"]
