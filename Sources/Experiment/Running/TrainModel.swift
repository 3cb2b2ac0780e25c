import Foundation
import Yams

/// What `reslab train` trains: one model, one resolution, one seed.
public struct TrainOptions: Sendable {
    /// A class-per-folder dataset; nil trains on the built-in generated dataset.
    public var data: String?
    public var model: ModelConfig
    /// What the images become, and so the model's input channels (`dataset.color`).
    public var color = ColorMode.rgb
    public var training = TrainingConfig()
    public var seed = 0
    /// Where the checkpoint is copied.
    public var output: String
    public var threads: Int
    public var memoryBudget = 4 << 30
    /// Bytes the training may need at least (`MemoryEstimate`).
    public var memoryLimit = MemoryEstimate.defaultLimit
    public var runsRoot = "runs"

    public init(data: String?, model: ModelConfig, output: String, threads: Int) {
        self.data = data
        self.model = model
        self.output = output
        self.threads = threads
    }
}

/// Trains one model as a one-cell experiment (run folder and report included, tested at the
/// training resolution) and copies its checkpoint to `options.output`.
public func trainModel(_ options: TrainOptions, control: RunControl = RunControl(),
                       progress: @escaping (ProgressEvent) -> Void = { _ in }) throws -> RunSummary {
    var dataset = DatasetConfig()
    if let data = options.data { dataset.folder = data } else { dataset.generated = GeneratedConfig() }
    dataset.color = options.color
    var evaluation = EvaluationConfig()
    evaluation.resolutions = .list(options.training.resolutions)
    let config = ExperimentConfig(name: "train-" + options.model.name, dataset: dataset, models: [options.model],
                                  training: options.training, evaluation: evaluation, seeds: [options.seed])
    try checkLimits(config, command: "reslab train", options: [
        "training.resolutions": "--resolution", "evaluation.resolutions": "--resolution", "training.epochs": "--epochs",
        "training.batch": "--batch", "training.optimizer.lr": "--lr", "models": "--layers", "name": "--model"])
    var run = RunOptions(configPath: nil, threads: options.threads)
    run.runsRoot = options.runsRoot
    run.memoryBudget = options.memoryBudget
    run.memoryLimit = options.memoryLimit
    let folder = try chooseRunFolder(run, config: config)
    // The one-cell experiment as a file, so that the run folder reads like any other.
    run.configPath = folder.path + ".yaml"
    try writeAtomically(YAMLEncoder().encode(config), to: run.configPath!)
    defer { unlink(run.configPath!) }
    run.out = folder.path
    let summary = try runExperiment(run, control: control, progress: progress)
    let checkpoint = folder.checkpointFile(config.cells[0])
    guard let bytes = FileManager.default.contents(atPath: checkpoint) else {
        throw ExperimentError.io(path: checkpoint, reason: "the trained model's checkpoint is missing")
    }
    try writeAtomically(bytes, to: options.output)
    return summary
}
