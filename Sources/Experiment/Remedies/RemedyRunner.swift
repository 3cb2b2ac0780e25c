import Foundation
import ImageIO
import Kernels
import NN
import Report
import Resample

/// Runs the remedies of `remedies` on trained cells: each remedy at each of its test conditions
/// gets a result file and a predictions file in the run folder (`RemedyResult`); a remedy with a
/// result is skipped, so an interrupted run continues where it stopped. Treatments start from the
/// cell's checkpoint each time, so one never leaks into another.
struct RemedyRunner {
    let cells: CellRunner
    let remedies: RemediesConfig

    var config: ExperimentConfig { cells.config }
    var folder: RunFolder { cells.folder }
    var pipeline: TensorPipeline { cells.pipeline }

    /// Applies every remedy without a stored result to the finished `cell`.
    func run(_ cell: Cell) throws {
        let keys = remedies.keys(config.evaluation)
        for remedy in remedies.kinds {
            let todo = keys.filter { !FileManager.default.fileExists(atPath: folder.remedyFile(cell, remedy, $0)) }
            guard !todo.isEmpty else { continue }
            if cells.control.stopRequested { throw ExperimentError.interrupted(runFolder: folder.path) }
            if remedy.retrains {
                try retrain(remedy, cell, keys: keys)
                continue
            }
            for key in todo {
                if cells.control.stopRequested { throw ExperimentError.interrupted(runFolder: folder.path) }
                try store(treat(remedy, cell, key))
            }
        }
    }

    /// Stores a result (atomically, last) and reports it.
    func store(_ result: RemedyResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(result), to: folder.remedyFile(result.cell, result.remedy, result.record.key))
        folder.log("cell \(result.cell.id) remedy \(result.remedy.rawValue) at \(result.record.key.stem) done")
        cells.progress(.remedyEvaluated(result.cell, result.remedy, result.record, seconds: result.seconds))
    }

    /// One treatment of the trained model of `cell`, tested at `key`.
    private func treat(_ remedy: RemedyKind, _ cell: Cell, _ key: EvaluationKey) throws -> RemedyResult {
        let model = try Model.load(from: folder.checkpointFile(cell))
        let r = key.resolution, file = folder.remedyPredictionsFile(cell, remedy, key)
        func cannotRun(_ reason: String) -> RemedyResult {
            RemedyResult(cell: cell, remedy: remedy, record: EvaluationRecord(key: key, count: cells.data.test.count, cannotRun: reason),
                         seconds: 0, note: nil)
        }
        // Batch norm and fine-tuning need the model to run at r; the rounding swap may make it run.
        if remedy == .bnRecal || remedy == .fixres, let reason = model.cannotRunReason(at: r) { return cannotRun(reason) }
        let start = Date()
        var treated = model, note: String?
        var inputs: (([Int]) throws -> (values: [Float], resolution: Int))?
        switch remedy {
        case .resize:
            let size = cell.trainResolution
            inputs = { indices in (try self.resizedTwice(indices, key, to: size), size) }
            note = "\(r) px inputs resized to \(size) px with \(key.method.rawValue)\(key.antialias ? "" : " (no antialias)")"
        case .rounding:
            let swapped: (network: Network, swap: RoundingSwap)
            do { swapped = try model.network.swappingRounding(height: r, width: r) } catch { return cannotRun("\(error)") }
            treated = Model(info: model.info, network: swapped.network)
            note = swapNote(swapped.swap, of: model.network.graph, at: r)
        case .bnRecal:
            note = try recalibrate(model, cell, key)
        case .fixres:
            note = try fineTune(model, cell, key)
        case .multires, .blurpool:
            preconditionFailure("retraining remedies run through retrain(_:_:keys:)")
        }
        let seconds = Date().timeIntervalSince(start)
        let record: EvaluationRecord
        if remedy != .resize, let reason = treated.cannotRunReason(at: r) {
            record = EvaluationRecord(key: key, count: cells.data.test.count, cannotRun: reason)
        } else {
            record = try cells.evaluate(treated, cell, key, predictionsFile: file, inputs: inputs)
        }
        return RemedyResult(cell: cell, remedy: remedy, record: record, seconds: seconds, note: note)
    }

    /// "swapped #9 maxpool 2 to ceil", or for a graph "swapped 10.1: conv 3x3 32 stride 2 pad 0 to
    /// ceil, 10.shortcut.1: conv 2x2 32 stride 2 pad 1 to ceil (so that 10.add gets inputs of one
    /// size)": each node as the architecture table names it in the untreated `graph`.
    private func swapNote(_ swap: RoundingSwap, of graph: GraphSpec, at r: Int) -> String {
        guard !swap.swapped.isEmpty else { return "no node loses rows or columns to its rounding rule at \(r) px: the same model" }
        return "swapped " + swap.swapped.map { node in
            "\(ArchitectureTable.nodeLabel(graph, node.node)) to \(node.rounding.rawValue)"
                + (node.matching.map { " (so that \(graph.nodes[$0].name) gets inputs of one size)" } ?? "")
        }.joined(separator: ", ")
    }

    /// NN's errors as the model's.
    private func engine<T>(_ model: Model, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as NNError {
            throw ExperimentError.model(name: model.info.layers.joined(separator: ", "), reason: error.description)
        }
    }

    /// Training images `indices` at the test condition `key` (resized like the test images).
    private func trainingImages(_ indices: [Int], _ key: EvaluationKey) throws -> [Float] {
        try pipeline.tensors(.init(split: "train", resolution: key.resolution, method: key.resizeMethod,
                                   crop: config.evaluation.crop), indices)
    }

    /// Batch-norm recalibration at `key`'s size on the first `images` of a seeded permutation of
    /// the training images (no labels used).
    private func recalibrate(_ model: Model, _ cell: Cell, _ key: EvaluationKey) throws -> String {
        let count = min(remedies.bnRecal.images, cells.data.train.count)
        guard model.network.spec.layers.contains(.batchNorm) else { return "the model has no batch norm: nothing to re-estimate" }
        let indices = Array(CounterRandom(cell.seed, 0, 5).permutation(cells.data.train.count).prefix(count))
        let r = key.resolution
        let images = try Tensor(shape: [count, r, r, 3], values: trainingImages(indices, key))
        try engine(model) { try model.network.recalibrateBatchNorm(images: images, batchSize: remedies.bnRecal.batch) }
        return "running statistics of \(count) training images at \(r) px, \(remedies.bnRecal.batch) a batch"
    }

    /// FixRes: SGD (momentum 0.9, cosine from `lr`, no weight decay) on the classifier and batch
    /// norm only, at `key`'s size, flipping when the training flips.
    private func fineTune(_ model: Model, _ cell: Cell, _ key: EvaluationKey) throws -> String {
        let settings = remedies.fixres, training = config.training
        let count = settings.images == 0 ? cells.data.train.count : min(settings.images, cells.data.train.count)
        let steps = (count + settings.batch - 1) / settings.batch
        let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: false),
                                  schedule: LearningRateSchedule(base: Float(settings.lr), warmupSteps: 0,
                                                                 decay: .cosine(totalSteps: settings.epochs * steps, finalFraction: 0)))
        let trainable = model.network.classifierAndBatchNormParameters
        optimizer.trainableEntries = trainable
        let pool = CounterRandom(cell.seed, 0, 6).permutation(cells.data.train.count).prefix(count)
        let r = key.resolution
        for epoch in 0..<settings.epochs {
            let order = CounterRandom(cell.seed, epoch, 7).permutation(count).map { pool[pool.startIndex + $0] }
            for step in 0..<steps {
                if cells.control.stopRequested { throw ExperimentError.interrupted(runFolder: folder.path) }
                let indices = Array(order[(step * settings.batch)..<min((step + 1) * settings.batch, count)])
                var inputs = try trainingImages(indices, key)
                if training.augmentation.flip {
                    for (row, index) in indices.enumerated() {
                        shiftAndFlip(&inputs, offset: row * r * r * cells.data.channels, resolution: r, pad: 0, flip: true,
                                     fill: training.augmentation.randomCropFill, mean: cells.data.mean, std: cells.data.std,
                                     random: CounterRandom(cell.seed, epoch, index, 8))
                    }
                }
                _ = try engine(model) {
                    try model.trainStep(inputs, labels: indices.map { cells.data.train.labels[$0] }, resolution: r,
                                        optimizer: optimizer, labelSmoothing: training.labelSmoothing)
                }
            }
        }
        return "\(settings.epochs) epoch\(settings.epochs == 1 ? "" : "s") on \(count) training images at \(r) px, classifier and batch norm only (\(trainable.count) tensors), lr \(settings.lr)"
    }

    /// Test images `indices` resized to `key` (as the untreated model sees them, 8-bit), then
    /// resized again to `size` with the same method: what a user gets by resizing r px inputs to
    /// the training size. (N, size, size, C), normalised like every input.
    private func resizedTwice(_ indices: [Int], _ key: EvaluationKey, to size: Int) throws -> [Float] {
        let images = try cells.data.test.images(indices)
        let data = cells.data, plane = size * size * data.channels
        var out = [Float](repeating: 0, count: images.count * plane)
        let method = key.resizeMethod
        let geometry = config.evaluation.crop.geometry
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!
            Parallel.forRanges(images.count) { range in
                let workspace = ResizeWorkspace()
                for i in range {
                    let small = resize(images[i], width: key.resolution, height: key.resolution, method: method,
                                       geometry: geometry, scratch: workspace)
                    resizeImage(small, into: base + i * plane, size: size, method: method, crop: .squash, mean: data.mean, std: data.std, workspace: workspace)
                }
            }
        }
        return out
    }
}
