import Datasets
import Foundation

/// What `--plan` and `--dry-run` print: the cells, how much work they are, and an estimated time.
public struct PlanSummary: Sendable {
    public struct Row: Sendable {
        public var cell: Cell
        /// Forward FLOPs per image at the training resolution, and the cell's total (training
        /// FLOPs per image and epoch, plus a forward pass per test image and condition).
        public var forwardFLOPs: Double
        public var totalFLOPs: Double
        /// Test conditions the model cannot run at, with their reasons.
        public var cannotRun: [(EvaluationKey, String)]
        public var done: Bool
    }

    public var experiment: String
    public var folder: String?
    public var trainImages: Int
    public var testImages: Int
    public var classes: Int
    public var evaluationsPerCell: Int
    public var rows: [Row]

    /// Sustained training throughput assumed for the time estimate, FLOP/s on `threads` threads.
    public static let assumedFLOPSPerThread = 20e9

    public func estimatedSeconds(threads: Int) -> Double {
        rows.filter { !$0.done }.reduce(0) { $0 + $1.totalFLOPs } / (Self.assumedFLOPSPerThread * Double(max(1, threads)))
    }
}

/// Plans `options`' experiment without training: counts images (scanning, not decoding,
/// a folder), and works out each cell's FLOPs and the conditions it cannot run at.
public func planExperiment(_ options: RunOptions) throws -> PlanSummary {
    let (config, _) = try resolveConfig(options)
    let (train, test, classNames) = try countImages(config.dataset)
    var folder: RunFolder? = nil
    if options.resume != nil || options.out != nil || !options.fresh {
        let chosen = try chooseRunFolder(options, config: config)
        folder = chosen.exists ? chosen : nil
    }
    let finished = folder?.finishedCellIDs() ?? []
    let keys = config.evaluationKeys
    let selected = Set(try selectCells(options.cells, count: config.cells.count))
    let rows = try config.cells.filter { selected.contains($0.id) }.map { cell -> PlanSummary.Row in
        let info = ModelDescription(layers: cell.model.resolvedLayers, rounding: cell.model.rounding.rawValue, classNames: classNames,
                             trainResolution: cell.trainResolution, mean: [0, 0, 0], std: [1, 1, 1])
        let model = try Model(info: info, seed: 0)
        let forward = model.forwardFLOPs(at: cell.trainResolution) ?? 0
        let training = model.trainingFLOPs * Double(train * config.training.epochs)
        let cannot = keys.compactMap { key in model.cannotRunReason(at: key.resolution).map { (key, $0) } }
        let evaluation = keys.reduce(0.0) { $0 + (model.forwardFLOPs(at: $1.resolution) ?? 0) * Double(test) }
        return .init(cell: cell, forwardFLOPs: forward, totalFLOPs: training + evaluation, cannotRun: cannot,
                     done: finished.contains(cell.id))
    }
    return PlanSummary(experiment: config.name, folder: folder?.path, trainImages: train, testImages: test,
                       classes: classNames.count, evaluationsPerCell: keys.count, rows: rows)
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
        return (folder.train.count, folder.test.count, folder.classNames)
    } catch {
        throw ExperimentError.dataset("\(error)")
    }
}
