import Foundation
import NN

extension Model {
    /// The optimizer of `training` for `stepsPerEpoch` steps per epoch: SGD (optionally Nesterov)
    /// or AdamW; linear warm-up over `warmup_epochs`, then cosine to zero, step or constant.
    static func optimizer(_ training: TrainingConfig, stepsPerEpoch: Int) -> Optimizer {
        let schedule = training.schedule
        let warmup = Int((schedule.warmupEpochs * Double(stepsPerEpoch)).rounded())
        let decay: LearningRateSchedule.Decay
        switch schedule.kind {
        case .constant: decay = .constant
        case .cosine: decay = .cosine(totalSteps: training.epochs * stepsPerEpoch, finalFraction: 0)
        case .step: decay = .step(every: max(1, schedule.everyEpochs * stepsPerEpoch), gamma: Float(schedule.gamma))
        }
        let optimizer = training.optimizer
        let kind: NN.OptimizerKind = optimizer.kind == .sgd
            ? .sgd(momentum: Float(optimizer.momentum), nesterov: optimizer.nesterov) : .adamW
        return Optimizer(kind, schedule: LearningRateSchedule(base: Float(optimizer.lr), warmupSteps: warmup, decay: decay),
                         weightDecay: Float(optimizer.weightDecay))
    }

    /// One optimisation step on `inputs` (N, r, r, C); returns the batch's mean loss.
    func trainStep(_ inputs: [Float], labels: [Int], resolution: Int, optimizer: Optimizer, labelSmoothing: Double) throws -> Double {
        let tensor = try Tensor(shape: [labels.count, resolution, resolution, network.inputChannels], values: inputs)
        return Double(try network.trainStep(inputs: tensor, labels: labels, optimizer: optimizer,
                                            labelSmoothing: Float(labelSmoothing)))
    }
}

/// Where a cell's training stands; saved with the weights and optimizer state in the cell's
/// training state (`RunFolder.trainingStateFile`) after every epoch and when stopped.
struct TrainingProgress: Codable, Equatable {
    /// The next step to take: 0-based epoch, and step within that epoch.
    var epoch: Int
    var step: Int
    /// Σ batch loss × batch size over the steps of `epoch` taken so far.
    var lossSum: Double
    /// Wall seconds spent on `epoch` so far, and on the whole training so far (earlier processes included).
    var epochSeconds: Double
    var seconds: Double
    /// The finished epochs.
    var records: [EpochRecord]

    static let start = TrainingProgress(epoch: 0, step: 0, lossSum: 0, epochSeconds: 0, seconds: 0, records: [])

    /// Nil when the record fits a training of `epochs` epochs of `steps` steps, else why not.
    func misfit(epochs: Int, steps: Int) -> String? {
        let fits = (0...epochs).contains(epoch) && (0..<steps).contains(step) && records.count == epoch
            && (epoch < epochs || step == 0)
        return fits ? nil : "its progress (epoch \(epoch + 1), step \(step + 1), \(records.count) epochs recorded) does not fit a training of \(epochs) epochs of \(steps) steps"
    }
}

extension Model {
    /// The resumable training state of this model and `optimizer` at `progress` (NN's checkpoint
    /// format with the optimizer's moments, the dropout generator and `progress`).
    func trainingState(optimizer: Optimizer, progress: TrainingProgress, file: String) throws -> Data {
        do {
            return try network.encodeTrainingState(metadata: checkpointMetadata, optimizer: optimizer, progress: progress, file: file)
        } catch {
            throw ExperimentError.io(path: file, reason: "\(error)")
        }
    }

    /// Loads a state written by `trainingState` into this model and `optimizer`; NN's error when
    /// it is damaged, belongs to another model or optimizer, or its progress does not fit `epochs`
    /// epochs of `steps` steps (nothing is changed then).
    func restoreTraining(_ data: Data, file: String, optimizer: Optimizer, epochs: Int, steps: Int) throws -> TrainingProgress {
        try network.restoreTrainingState(data, file: file, optimizer: optimizer, as: TrainingProgress.self) {
            $0.misfit(epochs: epochs, steps: steps)
        }
    }
}
