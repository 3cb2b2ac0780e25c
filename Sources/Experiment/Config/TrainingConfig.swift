import Foundation
import Resample

/// `training:` — how each cell's model is trained.
public struct TrainingConfig: Codable, Equatable, Sendable {
    public var epochs: Int = 10
    public var batch: Int = 64
    /// Training resolutions: one trained model per resolution (times models and seeds).
    public var resolutions: [Int] = [32]
    public var optimizer: OptimizerConfig = OptimizerConfig()
    public var schedule: ScheduleConfig = ScheduleConfig()
    public var augmentation: AugmentationConfig = AugmentationConfig()
    /// Share of the target mass spread over all classes (0 = plain cross-entropy).
    public var labelSmoothing: Double = 0
    /// How training images are resized to the training resolution.
    public var method: Filter = .bilinear
    public var antialias: Bool = true
    /// `method` and `antialias` as Resample applies them.
    public var resizeMethod: ResizeMethod { ResizeMethod(method, antialias: antialias) }
    /// Draw each batch's size from several sizes instead of the training resolution.
    public var multiResolution: MultiResolution?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case epochs, batch, resolutions, optimizer, schedule, augmentation
        case labelSmoothing = "label_smoothing", method, antialias, multiResolution = "multi_resolution"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        epochs = f.optional(.epochs) ?? epochs
        batch = f.optional(.batch) ?? batch
        resolutions = f.optional(.resolutions) ?? resolutions
        optimizer = f.optional(.optimizer) ?? optimizer
        schedule = f.optional(.schedule) ?? schedule
        augmentation = f.optional(.augmentation) ?? augmentation
        labelSmoothing = f.optional(.labelSmoothing) ?? labelSmoothing
        method = f.optional(.method) ?? method
        antialias = f.optional(.antialias) ?? antialias
        multiResolution = f.optional(.multiResolution)
        f.check(epochs >= 1, .epochs, "must be at least 1.")
        f.check(batch >= 1, .batch, "must be at least 1.")
        f.check(!resolutions.isEmpty && resolutions.allSatisfy { $0 >= 1 }, .resolutions, "list one or more sizes in pixels, e.g. [32].")
        f.check(labelSmoothing >= 0 && labelSmoothing < 1, .labelSmoothing, "must lie in 0..<1.")
    }
}

/// `optimizer:` — SGD with momentum (optionally Nesterov) or AdamW, with decoupled weight decay.
public struct OptimizerConfig: Codable, Equatable, Sendable {
    public var kind: OptimizerName = .sgd
    /// Peak learning rate (after warm-up).
    public var lr: Double = 0.05
    public var momentum: Double = 0.9
    public var nesterov: Bool = false
    public var weightDecay: Double = 5e-4

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, lr, momentum, nesterov, weightDecay = "weight_decay"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        kind = f.optional(.kind) ?? kind
        lr = f.optional(.lr) ?? (kind == .adamw ? 1e-3 : lr)
        momentum = f.optional(.momentum) ?? momentum
        nesterov = f.optional(.nesterov) ?? nesterov
        weightDecay = f.optional(.weightDecay) ?? weightDecay
        f.check(lr > 0, .lr, "must be positive, e.g. 0.05 for SGD or 0.001 for AdamW.")
        f.check(momentum >= 0 && momentum < 1, .momentum, "must lie in 0..<1.")
        f.check(weightDecay >= 0, .weightDecay, "must not be negative.")
    }
}

public enum OptimizerName: String, ConfigEnum, Sendable { case sgd, adamw }

/// `schedule:` — the learning rate over training: linear warm-up, then cosine decay to zero,
/// steps (× gamma every `every_epochs` epochs), or constant.
public struct ScheduleConfig: Codable, Equatable, Sendable {
    public var kind: ScheduleKind = .cosine
    public var warmupEpochs: Double = 0
    public var everyEpochs: Int = 30
    public var gamma: Double = 0.1

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, warmupEpochs = "warmup_epochs", everyEpochs = "every_epochs", gamma
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        kind = f.optional(.kind) ?? kind
        warmupEpochs = f.optional(.warmupEpochs) ?? warmupEpochs
        everyEpochs = f.optional(.everyEpochs) ?? everyEpochs
        gamma = f.optional(.gamma) ?? gamma
        f.check(warmupEpochs >= 0, .warmupEpochs, "must not be negative.")
        f.check(everyEpochs >= 1, .everyEpochs, "must be at least 1.")
        f.check(gamma > 0, .gamma, "must be positive, e.g. 0.1.")
    }
}

public enum ScheduleKind: String, ConfigEnum, Sendable { case cosine, step, constant }

/// `random_crop_fill:` — see `AugmentationConfig.randomCropFill`.
public enum PadFill: String, ConfigEnum, Sendable { case black, mean, reflect }

/// `augmentation:` — applied to training images only, drawn from the cell's seed.
public struct AugmentationConfig: Codable, Equatable, Sendable {
    /// Mirror left-right with probability 1/2.
    public var flip: Bool = false
    /// Pad by this many pixels on each side and take a random crop of the training size.
    public var randomCrop: Int?
    /// What the padding of `random_crop` holds: black pixels (torchvision's `RandomCrop(padding=p)`
    /// before `Normalize`, the default), the dataset's mean colour (zeros after normalisation,
    /// what reslab did before this option), or the image reflected about its edge.
    public var randomCropFill: PadFill = .black
    /// Random-resized-crop: a crop of this area share range (and aspect 3/4...4/3), resized to
    /// the training size, as in Inception and FixRes training.
    public var randomResizedCrop: [Double]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case flip, randomCrop = "random_crop", randomCropFill = "random_crop_fill", randomResizedCrop = "random_resized_crop"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        flip = f.optional(.flip) ?? flip
        randomCrop = f.optional(.randomCrop)
        randomCropFill = f.optional(.randomCropFill) ?? randomCropFill
        randomResizedCrop = f.optional(.randomResizedCrop)
        if let pad = randomCrop { f.check(pad >= 0, .randomCrop, "give the padding in pixels, e.g. 4.") }
        if let scale = randomResizedCrop {
            f.check(scale.count == 2 && 0 < scale[0] && scale[0] <= scale[1] && scale[1] <= 1,
                    .randomResizedCrop, "give the area share range as [low, high] within (0, 1], e.g. [0.35, 1].")
        }
        f.check(randomCrop == nil || randomResizedCrop == nil, .randomResizedCrop, "use random_crop or random_resized_crop, not both.")
    }
}
