import Foundation

/// Lets the CLI ask a running experiment to stop after its current training step (Ctrl-C).
public final class RunControl: @unchecked Sendable {
    private let lock = NSLock()
    private var stop = false

    public init() {}

    /// Called from the signal handler's queue.
    public func requestStop() { lock.withLock { stop = true } }

    public var stopRequested: Bool { lock.withLock { stop } }
}

/// What the runner reports while it works; the CLI renders it (see `ProgressPrinter`).
public enum ProgressEvent: Sendable {
    case runStarted(folder: String, cells: Int, toRun: Int)
    case dataLoaded(train: Int, test: Int, classes: Int, skipped: Int, seconds: Double)
    case cellStarted(Cell, position: Int, of: Int)
    case cellSkipped(Cell)
    /// After each training step; `eta` is the seconds left in this cell's training.
    case step(Cell, epoch: Int, epochs: Int, step: Int, steps: Int, loss: Double, imagesPerSecond: Double, eta: Double)
    case epochFinished(Cell, EpochRecord, epochs: Int)
    /// The cell continues from its saved training state at this 1-based epoch and step (epoch
    /// `epochs + 1` when its training had finished and only its evaluation remains).
    case trainingResumed(Cell, epoch: Int, step: Int, epochs: Int)
    /// The cell's saved training state could not be used (the reason); it trains from the start.
    case trainingStateIgnored(Cell, reason: String)
    case evaluated(Cell, EvaluationRecord)
    case cellFinished(Cell, seconds: Double)
    /// A remedy applied to a trained cell (in `seconds`) and tested at `record.key`.
    case remedyEvaluated(Cell, RemedyKind, EvaluationRecord, seconds: Double)
}
