import Datasets
import Foundation

/// What `--plan` and `--dry-run` print: the cells, how much work they are, and an estimated time.
public struct PlanSummary: Sendable {
    public struct Row: Sendable {
        public var cell: Cell
        /// Forward FLOPs per image at the training resolution; the cell's training FLOPs (per
        /// image and epoch) and evaluation FLOPs (a forward pass per test image and condition).
        public var forwardFLOPs: Double
        public var trainingFLOPs: Double
        public var evaluationFLOPs: Double
        /// The work of the configuration's `remedies:` on this cell (`plannedFLOPs`): training-mode
        /// and forward FLOPs.
        public var remedyTrainingFLOPs = 0.0
        public var remedyForwardFLOPs = 0.0
        /// Test conditions the model cannot run at, with their reasons.
        public var cannotRun: [(EvaluationKey, String)]
        public var done: Bool
        /// How fast this cell's model trains and evaluates here.
        public var speed: ModelSpeed

        public var remedyFLOPs: Double { remedyTrainingFLOPs + remedyForwardFLOPs }
        public var totalFLOPs: Double { trainingFLOPs + evaluationFLOPs + remedyFLOPs }

        /// The cell's estimated wall time: its training and evaluation FLOPs, and its remedies',
        /// at `speed`'s rates (decoding and resizing not included). An imported model has no
        /// training FLOPs (it is only tested) and no training rate.
        public var estimatedSeconds: Double {
            (trainingFLOPs + remedyTrainingFLOPs) / (speed.trainingFLOPsPerSecond ?? ModelSpeed.assumedTrainingRate)
                + (evaluationFLOPs + remedyForwardFLOPs) / speed.forwardFLOPsPerSecond
        }
    }

    public var experiment: String
    public var folder: String?
    public var trainImages: Int
    public var testImages: Int
    public var classes: Int
    public var evaluationsPerCell: Int
    /// The threads the estimate is for (`--threads`).
    public var threads: Int
    public var rows: [Row]

    /// The estimated wall time of the cells still to run, one after another.
    public var estimatedSeconds: Double {
        rows.filter { !$0.done }.reduce(0) { $0 + $1.estimatedSeconds }
    }
}

/// Plans `options`' experiment without training: counts images (scanning, not decoding,
/// a folder), and works out each cell's FLOPs and the conditions it cannot run at. With
/// `measure`, times a few training steps of each distinct model and training resolution on
/// `options.threads` threads (`measureModelSpeed`) for the time estimate; without, or when
/// timing fails, the estimate uses `ModelSpeed.fallback`.
public func planExperiment(_ options: RunOptions, measure: Bool = true) throws -> PlanSummary {
    let (config, _) = try resolveConfig(options)
    try MemoryEstimate.check(config, limit: options.memoryLimit)
    let (train, test, classNames) = try countImages(config.dataset)
    var folder: RunFolder? = nil
    if options.resume != nil || options.out != nil || !options.fresh {
        let chosen = try chooseRunFolder(options, config: config)
        folder = chosen.exists ? chosen : nil
    }
    let finished = folder?.finishedCellIDs() ?? []
    let keys = config.evaluationKeys
    let selected = Set(try selectCells(options.cells, count: config.cells.count))
    var speeds: [ModelDescription: ModelSpeed] = [:]
    let channels = config.dataset.color.channels
    let neutral = neutralNormalization(channels: channels)
    let rows = try config.cells.filter { selected.contains($0.id) }.map { cell -> PlanSummary.Row in
        let info = try cell.model.description(classNames: classNames, trainResolution: cell.trainResolution,
                                              mean: neutral.mean, std: neutral.std)
        let model = try Model(info: info, seed: 0)
        let done = finished.contains(cell.id)
        if measure && !done && speeds[info] == nil {
            let optimizer = Model.optimizer(config.training, stepsPerEpoch: 1)
            speeds[info] = (try? measureModelSpeed(model, optimizer: optimizer, batch: max(1, min(config.training.batch, train)),
                                                   evaluationBatch: max(1, min(config.evaluation.batch, test)),
                                                   threads: options.threads)) ?? .fallback
        }
        let forward = model.forwardFLOPs(at: cell.trainResolution) ?? 0
        let training = cell.model.isTrained ? model.trainingFLOPs * Double(train * config.training.epochs) : 0
        let cannot = keys.compactMap { key in model.cannotRunReason(at: key.resolution).map { (key, $0) } }
        let evaluation = keys.reduce(0.0) { $0 + (model.forwardFLOPs(at: $1.resolution) ?? 0) * Double(test) }
        let remedies = (cell.model.isTrained ? config.remedies?.plannedFLOPs(model, training: config.training, trainImages: train, testImages: test,
                                                     cellEvaluationFLOPs: evaluation) : nil) ?? (training: 0, forward: 0)
        return .init(cell: cell, forwardFLOPs: forward, trainingFLOPs: training, evaluationFLOPs: evaluation,
                     remedyTrainingFLOPs: remedies.training, remedyForwardFLOPs: remedies.forward, cannotRun: cannot,
                     done: done, speed: speeds[info] ?? .fallback)
    }
    return PlanSummary(experiment: config.name, folder: folder?.path, trainImages: train, testImages: test,
                       classes: classNames.count, evaluationsPerCell: keys.count, threads: options.threads, rows: rows)
}

/// Train and test counts and class names, without decoding.
private func countImages(_ dataset: DatasetConfig) throws -> (Int, Int, [String]) {
    if let generated = dataset.generated {
        let classes = GeneratedStripes.classNames
        return (generated.trainPerClass * classes.count, generated.testPerClass * classes.count, classes)
    }
    do {
        let folder = try ImageFolder.load(root: dataset.folder ?? ".", testFraction: dataset.testFraction,
                                          seed: UInt64(dataset.splitSeed))
        try checkSplits(classes: folder.classNames.count, trainCount: folder.train.count, testCount: folder.test.count,
                        source: folder.root)
        return (folder.train.count, folder.test.count, folder.classNames)
    } catch let error as ExperimentError {
        throw error
    } catch {
        throw ExperimentError.dataset("\(error)")
    }
}
