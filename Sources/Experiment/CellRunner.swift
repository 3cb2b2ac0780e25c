import Foundation

/// Trains and evaluates cells of one experiment in one process. Each cell depends only on the
/// configuration, the data and its id: weights, data order and augmentation are drawn from
/// the cell's seed, so any process produces the same result for a cell.
struct CellRunner {
    let config: ExperimentConfig
    let pipeline: TensorPipeline
    let folder: RunFolder
    let control: RunControl
    let progress: (ProgressEvent) -> Void

    var data: LoadedData { pipeline.data }

    /// What a checkpoint of `cell` records about its model.
    func modelInfo(_ cell: Cell) -> ModelDescription {
        ModelDescription(layers: cell.model.resolvedLayers, rounding: cell.model.rounding.rawValue, classNames: data.classNames,
                  trainResolution: cell.trainResolution, mean: data.mean, std: data.std)
    }

    /// Trains `cell`, evaluates it at every test condition, and stores checkpoint, predictions and
    /// (last, atomically) the result file. Throws `.interrupted` after the step during which a stop
    /// was requested; the cell's partial work is then discarded and the cell reruns on resume.
    func run(_ cell: Cell) throws -> CellResult {
        let model = try Model(info: modelInfo(cell), seed: cell.seed)
        let started = Date()
        let epochs = try train(model, cell)
        let trained = Date()
        try model.save(to: folder.checkpointFile(cell))
        let evaluations = try evaluate(model, cell)
        let result = CellResult(cell: cell, classNames: data.classNames, epochs: epochs,
                                trainSeconds: trained.timeIntervalSince(started),
                                evaluateSeconds: Date().timeIntervalSince(trained), evaluations: evaluations)
        try store(result)
        return result
    }

    /// Writes the result file, the cell's commit point: once it exists the cell counts as done.
    func store(_ result: CellResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(result), to: folder.resultFile(result.cell))
    }

    private func train(_ model: Model, _ cell: Cell) throws -> [EpochRecord] {
        let training = config.training
        let count = data.train.count
        let steps = (count + training.batch - 1) / training.batch
        let optimizer = Model.optimizer(training, stepsPerEpoch: steps)
        var records: [EpochRecord] = []
        let cellStart = Date()
        for epoch in 0..<training.epochs {
            let epochStart = Date()
            let order = CounterRandom(cell.seed, epoch, 1).permutation(count)
            var lossSum = 0.0
            for step in 0..<steps {
                let indices = Array(order[(step * training.batch)..<min((step + 1) * training.batch, count)])
                let inputs = try trainingInputs(indices, epoch: epoch, cell: cell)
                let loss = try model.trainStep(inputs, labels: indices.map { data.train.labels[$0] },
                                               resolution: cell.trainResolution, optimizer: optimizer,
                                               labelSmoothing: training.labelSmoothing)
                lossSum += loss * Double(indices.count)
                let done = epoch * steps + step + 1
                let elapsed = Date().timeIntervalSince(cellStart)
                let seen = Double(epoch * count + min((step + 1) * training.batch, count))
                progress(.step(cell, epoch: epoch + 1, epochs: training.epochs, step: step + 1, steps: steps,
                               loss: loss, imagesPerSecond: seen / max(elapsed, 1e-9),
                               eta: elapsed / Double(done) * Double(training.epochs * steps - done)))
                if control.stopRequested { throw ExperimentError.interrupted(runFolder: folder.path) }
            }
            let record = EpochRecord(epoch: epoch + 1, loss: lossSum / Double(count), seconds: Date().timeIntervalSince(epochStart))
            records.append(record)
            progress(.epochFinished(cell, record, epochs: training.epochs))
        }
        return records
    }

    /// Augmented (N, r, r, 3) inputs for training images `indices` in `epoch`.
    private func trainingInputs(_ indices: [Int], epoch: Int, cell: Cell) throws -> [Float] {
        let training = config.training
        let augmentation = training.augmentation
        let r = cell.trainResolution
        let plane = r * r * 3
        var inputs: [Float]
        if let scale = augmentation.randomResizedCrop {
            let images = try data.train.images(indices)
            let crops = zip(images, indices).map { image, index in
                randomResizedCrop(image, scale: scale, random: CounterRandom(cell.seed, epoch, index, 2))
            }
            inputs = pipeline.resize(crops, .init(split: "train", resolution: r, filter: training.method,
                                                  antialias: training.antialias, crop: .squash))
        } else {
            inputs = try pipeline.tensors(.init(split: "train", resolution: r, filter: training.method,
                                                antialias: training.antialias, crop: config.evaluation.crop), indices)
        }
        let pad = augmentation.randomCrop ?? 0
        if pad > 0 || augmentation.flip {
            for (row, index) in indices.enumerated() {
                shiftAndFlip(&inputs, offset: row * plane, resolution: r, pad: pad, flip: augmentation.flip,
                             random: CounterRandom(cell.seed, epoch, index, 3))
            }
        }
        return inputs
    }
}
