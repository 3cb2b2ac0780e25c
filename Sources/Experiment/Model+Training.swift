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

    /// One optimisation step on `inputs` (N, r, r, 3); returns the batch's mean loss.
    func trainStep(_ inputs: [Float], labels: [Int], resolution: Int, optimizer: Optimizer, labelSmoothing: Double) throws -> Double {
        let tensor = try Tensor(shape: [labels.count, resolution, resolution, 3], values: inputs)
        return Double(try network.trainStep(inputs: tensor, labels: labels, optimizer: optimizer,
                                            labelSmoothing: Float(labelSmoothing)))
    }
}
