/// One trained model's record per epoch (a run's cell): what the "Training curves" section draws.
public struct TrainingCurve: Codable, Sendable, Equatable {
    public var model: String
    public var trainResolution: Int
    public var seed: Int
    public var epochs: [EpochPoint]

    public init(model: String, trainResolution: Int, seed: Int, epochs: [EpochPoint]) {
        self.model = model
        self.trainResolution = trainResolution
        self.seed = seed
        self.epochs = epochs
    }

    /// "gap-cnn @32 px seed 0".
    var label: String { "\(model) @\(trainResolution) px seed \(seed)" }
}

/// One epoch: the mean training loss over its (augmented) batches, and the model after it tested
/// on the held-out images at the training resolution (nil where that was not measured).
public struct EpochPoint: Codable, Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    /// Top-1 share, 0...1.
    public var heldOutTop1: Double?
    /// Mean cross-entropy (natural log).
    public var heldOutLoss: Double?

    public init(epoch: Int, trainLoss: Double, heldOutTop1: Double?, heldOutLoss: Double?) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.heldOutTop1 = heldOutTop1
        self.heldOutLoss = heldOutLoss
    }
}
