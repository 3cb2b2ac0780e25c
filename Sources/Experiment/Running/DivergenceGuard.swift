import NN

/// Stops a cell whose training has diverged, so that no chance-level model is evaluated and no
/// non-finite loss reaches a results file.
///
/// A step whose loss is NaN or infinite stops at once: its gradients have made the weights
/// non-finite, and no later step can recover them. A large but finite step loss does not: a
/// small network can spike to a batch loss above 1,000 and recover within the epoch (the Slurm
/// test's tiny sweep does, at step 32 of epoch 2). An epoch whose mean loss is above `lossLimit`
/// stops: at chance the loss is ln(classes), 6.9 for 1,000 classes, so a mean above 1,000 means
/// logits about that far apart on average, which only an exploding network produces.
enum DivergenceGuard {
    static let lossLimit = 1_000.0

    /// Throws `.diverged` when the loss of the step just taken is not finite; `optimizer` has
    /// already advanced past that step.
    static func checkStep(_ loss: Double, cell: Cell, epoch: Int, step: Int, optimizer: Optimizer) throws {
        guard !loss.isFinite else { return }
        throw diverged(loss, cell: cell, epoch: epoch, step: step, optimizer: optimizer)
    }

    /// Throws `.diverged` when the mean loss of the epoch just finished is above `lossLimit`.
    static func checkEpoch(_ meanLoss: Double, cell: Cell, epoch: Int, optimizer: Optimizer) throws {
        guard !meanLoss.isFinite || meanLoss > lossLimit else { return }
        throw diverged(meanLoss, cell: cell, epoch: epoch, step: nil, optimizer: optimizer)
    }

    private static func diverged(_ loss: Double, cell: Cell, epoch: Int, step: Int?, optimizer: Optimizer) -> ExperimentError {
        let rate = optimizer.schedule.rate(at: max(0, optimizer.step - 1))
        return .diverged(cell: cell.label, epoch: epoch, step: step, loss: loss, learningRate: Double(rate))
    }
}
