import NN

/// Stops a cell whose training has diverged, so that no chance-level model is evaluated and no
/// non-finite loss reaches a results file.
///
/// A batch's mean cross-entropy is ln(classes) at chance (6.9 for 1,000 classes) and rarely above
/// 20–30 for a network that is merely wrong; a loss above `lossLimit` means logits apart by about
/// that much, which only an exploding network produces. A NaN or infinite loss always stops it.
enum DivergenceGuard {
    static let lossLimit = 1_000.0

    /// Throws `.diverged` when `loss` (the mean loss of the step just taken) is not finite or
    /// above `lossLimit`; `optimizer` has already advanced past that step.
    static func check(_ loss: Double, cell: Cell, epoch: Int, step: Int, optimizer: Optimizer) throws {
        guard !loss.isFinite || loss > lossLimit else { return }
        let rate = optimizer.schedule.rate(at: max(0, optimizer.step - 1))
        throw ExperimentError.diverged(cell: cell.label, epoch: epoch, step: step, loss: loss, learningRate: Double(rate))
    }
}
