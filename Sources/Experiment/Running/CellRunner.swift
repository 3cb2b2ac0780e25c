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
    func modelInfo(_ cell: Cell) throws -> ModelDescription {
        try cell.model.description(classNames: data.classNames, trainResolution: cell.trainResolution, mean: data.mean, std: data.std)
    }

    /// Trains `cell` (continuing from its training state if an earlier process saved one),
    /// evaluates it at every test condition, and stores checkpoint, predictions and (last,
    /// atomically) the result file. Throws `.interrupted` after the step during which a stop was
    /// requested, with the training state saved there; the cell continues from it on resume.
    func run(_ cell: Cell) throws -> CellResult {
        if !cell.model.isTrained { return try runImported(cell) }
        let model = try Model(info: modelInfo(cell), seed: cell.seed)
        model.record = TrainingRecord(cell: cell, config: config, trainFiles: data.trainFiles)
        let trained = try train(model, cell)
        let evaluationStart = Date()
        try model.save(to: folder.checkpointFile(cell))
        let evaluations = try evaluate(model, cell)
        let result = CellResult(cell: cell, classNames: data.classNames, epochs: trained.records,
                                trainSeconds: trained.seconds,
                                evaluateSeconds: Date().timeIntervalSince(evaluationStart), evaluations: evaluations)
        try store(result)
        unlink(folder.trainingStateFile(cell))
        return result
    }

    /// Tests an imported model's cell as it is: no training, no checkpoint.
    private func runImported(_ cell: Cell) throws -> CellResult {
        let model = try Model(info: modelInfo(cell), seed: cell.seed)
        let started = Date()
        let evaluations = try evaluate(model, cell)
        let result = CellResult(cell: cell, classNames: data.classNames, epochs: [], trainSeconds: 0,
                                evaluateSeconds: Date().timeIntervalSince(started), evaluations: evaluations)
        try store(result)
        return result
    }

    /// Writes the result file, the cell's commit point: once it exists the cell counts as done.
    func store(_ result: CellResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(result), to: folder.resultFile(result.cell))
    }

    /// Runs the training steps that remain after the saved state (all of them without one),
    /// saving the state after every epoch. Returns the final progress: epoch records and seconds.
    private func train(_ model: Model, _ cell: Cell) throws -> TrainingProgress {
        let training = config.training
        let count = data.train.count
        let steps = (count + training.batch - 1) / training.batch
        let optimizer = Model.optimizer(training, stepsPerEpoch: steps)
        var state = resumeTraining(model, optimizer, cell, steps: steps)
        let session = (start: Date(), seconds: state.seconds, step: state.epoch * steps + state.step)
        var seen = 0
        while state.epoch < training.epochs {
            let (epochStart, epochSeconds) = (Date(), state.epochSeconds)
            let order = CounterRandom(cell.seed, state.epoch, 1).permutation(count)
            while state.step < steps {
                let indices = Array(order[(state.step * training.batch)..<min((state.step + 1) * training.batch, count)])
                let resolution = training.multiResolution?.size(seed: cell.seed, epoch: state.epoch, step: state.step,
                                                                epochs: training.epochs) ?? cell.trainResolution
                let inputs = try trainingInputs(indices, epoch: state.epoch, cell: cell, resolution: resolution)
                let loss = try model.trainStep(inputs, labels: indices.map { data.train.labels[$0] },
                                               resolution: resolution, optimizer: optimizer,
                                               labelSmoothing: training.labelSmoothing)
                try DivergenceGuard.checkStep(loss, cell: cell, epoch: state.epoch + 1, step: state.step + 1, optimizer: optimizer)
                state.lossSum += loss * Double(indices.count)
                state.step += 1
                seen += indices.count
                let done = state.epoch * steps + state.step
                let elapsed = Date().timeIntervalSince(session.start)
                progress(.step(cell, epoch: state.epoch + 1, epochs: training.epochs, step: state.step, steps: steps,
                               loss: loss, imagesPerSecond: Double(seen) / max(elapsed, 1e-9),
                               eta: elapsed / Double(done - session.step) * Double(training.epochs * steps - done)))
                // The last, partial batch is not a place to stop: a process starting there would build
                // its buffers for the smaller batch, and the chunking of its GEMMs (and with it the
                // float rounding) would differ from an uninterrupted run's.
                let partialNext = state.step == steps - 1 && count % training.batch != 0
                if control.stopRequested && state.step < steps && !partialNext {
                    state.epochSeconds = epochSeconds + Date().timeIntervalSince(epochStart)
                    state.seconds = session.seconds + Date().timeIntervalSince(session.start)
                    try saveTraining(model, optimizer, state, cell)
                    throw ExperimentError.interrupted(runFolder: folder.path)
                }
            }
            let seconds = epochSeconds + Date().timeIntervalSince(epochStart)
            try DivergenceGuard.checkEpoch(state.lossSum / Double(count), cell: cell, epoch: state.epoch + 1, optimizer: optimizer)
            let heldOut = try heldOut(model, cell)
            let record = EpochRecord(epoch: state.epoch + 1, loss: state.lossSum / Double(count), seconds: seconds,
                                     heldOutTop1: heldOut?.top1, heldOutLoss: heldOut?.loss)
            state = TrainingProgress(epoch: state.epoch + 1, step: 0, lossSum: 0, epochSeconds: 0,
                                     seconds: session.seconds + Date().timeIntervalSince(session.start),
                                     records: state.records + [record])
            try saveTraining(model, optimizer, state, cell)
            progress(.epochFinished(cell, record, epochs: training.epochs))
            if control.stopRequested { throw ExperimentError.interrupted(runFolder: folder.path) }
        }
        return state
    }

    /// Augmented (N, r, r, C) inputs for training images `indices` in `epoch`, r = `resolution`.
    private func trainingInputs(_ indices: [Int], epoch: Int, cell: Cell, resolution r: Int) throws -> [Float] {
        let training = config.training
        let augmentation = training.augmentation
        let plane = r * r * data.channels
        var inputs: [Float]
        if let scale = augmentation.randomResizedCrop {
            let images = try data.train.images(indices)
            let crops = zip(images, indices).map { image, index in
                randomResizedCrop(image, scale: scale, random: CounterRandom(cell.seed, epoch, index, 2))
            }
            inputs = pipeline.resize(crops, .init(split: "train", resolution: r, method: training.resizeMethod, crop: .squash))
        } else {
            inputs = try pipeline.tensors(.init(split: "train", resolution: r, method: training.resizeMethod, crop: config.evaluation.crop), indices)
        }
        let pad = augmentation.randomCrop ?? 0
        if pad > 0 || augmentation.flip {
            for (row, index) in indices.enumerated() {
                shiftAndFlip(&inputs, offset: row * plane, resolution: r, pad: pad, flip: augmentation.flip,
                             fill: augmentation.randomCropFill, mean: data.mean, std: data.std,
                             random: CounterRandom(cell.seed, epoch, index, 3))
            }
        }
        return inputs
    }
}
