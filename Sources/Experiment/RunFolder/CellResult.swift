/// What one finished cell stores in `cells/cell-NNNN.json`.
public struct CellResult: Codable, Sendable, Equatable {
    public var cell: Cell
    public var classNames: [String]
    public var epochs: [EpochRecord]
    public var trainSeconds: Double
    public var evaluateSeconds: Double
    public var evaluations: [EvaluationRecord]
}

/// One training epoch: the mean loss over its batches (with augmentation), and the model after
/// it tested on the held-out images at the training resolution (the training resize method and
/// the test crop). The held-out figures are nil in results written before reslab measured them,
/// and when there are no test images.
public struct EpochRecord: Codable, Sendable, Equatable {
    public var epoch: Int
    public var loss: Double
    /// Training seconds (the held-out test after the epoch is not counted).
    public var seconds: Double
    /// Top-1 share (0...1) and mean cross-entropy on the held-out images.
    public var heldOutTop1: Double?
    public var heldOutLoss: Double?
}

/// One evaluation of a trained model. `cannotRun` holds the architecture-math reason when the
/// model cannot take this resolution; the metrics are nil then.
public struct EvaluationRecord: Codable, Sendable, Equatable {
    public var key: EvaluationKey
    /// Share of test images whose top class is right, 0...1.
    public var top1: Double?
    /// Share whose label is among the five highest logits (all of them when there are ≤ 5 classes).
    public var top5: Double?
    /// Mean cross-entropy (natural log).
    public var loss: Double?
    /// Test images.
    public var count: Int
    public var cannotRun: String?
    /// Zhang (2019)'s shift consistency over a sample of the test images (`ShiftConsistency`).
    public var shiftConsistency: Double? = nil
}
