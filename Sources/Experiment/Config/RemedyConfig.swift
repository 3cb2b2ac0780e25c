import Report
import Resample

/// A fix for a drop in accuracy at some test resolution, run on (or instead of) a trained cell and
/// compared with the untreated model on the same test images. Ordered by what it costs the user.
public enum RemedyKind: String, ConfigEnum, Sendable {
    /// Resize every r px input to the training size first (the zero-cost control).
    case resize
    /// The other rounding rule, floor ↔ ceil, in the downsampling nodes whose rule loses rows or
    /// columns at r px, and in the nodes a merge needs swapped with them (NN's
    /// `swappingRounding`, list and graph models); the weights are untouched.
    case rounding
    /// Re-estimate batch-norm running statistics at r px from unlabelled training images.
    case bnRecal = "bn-recal"
    /// FixRes (Touvron et al. 2019): fine-tune only the classifier and batch norm at r px.
    case fixres
    /// Retrain with each batch's size drawn from a set of sizes (`MultiResolution`).
    case multires
    /// Retrain the model's BlurPool variant (Zhang 2019): max-pool and strided convolutions
    /// become their stride-1 form followed by a blur-and-subsample.
    case blurpool

    /// What applying it costs the user.
    public var cost: RemedyCost {
        switch self {
        case .resize, .rounding: return .none
        case .bnRecal: return .seconds
        case .fixres: return .minutes
        case .multires, .blurpool: return .retrain
        }
    }

    /// True for the remedies that train a new model rather than treat the trained one.
    var retrains: Bool { cost == .retrain }

    /// What the remedy does, for the report ("re-estimating batch norm at 20 px").
    func describe(at resolution: Int, trainResolution: Int) -> String {
        switch self {
        case .resize: return "resizing to \(trainResolution) px first"
        case .rounding: return "the other rounding rule (floor ↔ ceil) at \(resolution) px"
        case .bnRecal: return "re-estimating batch norm at \(resolution) px"
        case .fixres: return "fine-tuning the classifier and batch norm at \(resolution) px"
        case .multires: return "multi-resolution training"
        case .blurpool: return "the BlurPool variant, retrained"
        }
    }
}

/// `remedies:` — which remedies to run on every trained cell, at which test sizes, and their
/// settings. Each remedy is evaluated at every size in `at` with one resize method (`method`,
/// `antialias`), which must be among those the run evaluates so the untreated model's
/// predictions on the same images are there to pair with.
public struct RemediesConfig: Codable, Equatable, Sendable {
    public var kinds: [RemedyKind] = RemedyKind.allCases
    /// Test sizes in pixels, each one of `evaluation.resolutions`.
    public var at: [Int] = []
    /// The resize method and antialias setting of the remedy evaluations; default: the first of
    /// `evaluation.methods` and of `evaluation.antialias`.
    public var method: Filter?
    public var antialias: Bool?
    public var bnRecal = BatchNormRecalibration()
    public var fixres = FixResConfig()
    /// The sizes the multires remedy trains at; default: every 4 px from the smallest to the
    /// largest of `at` and the training size.
    public var multires: MultiResolution?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kinds = "run", at, method, antialias, bnRecal = "bn_recal", fixres, multires
    }

    public init(kinds: [RemedyKind] = RemedyKind.allCases, at: [Int] = []) {
        self.kinds = kinds
        self.at = at
    }

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        kinds = f.optional(.kinds) ?? kinds
        at = f.required(.at, "the test sizes to treat, e.g. [20, 48]") ?? []
        method = f.optional(.method)
        antialias = f.optional(.antialias)
        bnRecal = f.optional(.bnRecal) ?? bnRecal
        fixres = f.optional(.fixres) ?? fixres
        multires = f.optional(.multires)
        f.check(!kinds.isEmpty, .kinds, "list at least one of \(RemedyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        f.check(Set(kinds).count == kinds.count, .kinds, "list each remedy once.")
        f.check(!at.isEmpty || !f.contains(.at), .at, "list one or more test sizes in pixels, e.g. [20, 48].")
        f.check(at.allSatisfy { $0 >= 1 }, .at, "sizes must be at least 1 px.")
    }

    /// The multires training sizes for a model trained at `trainResolution`.
    func multiResolution(trainResolution: Int) -> MultiResolution {
        if let multires { return multires }
        let sizes = at + [trainResolution]
        return MultiResolution(sizes: .range(from: sizes.min()!, to: sizes.max()!, step: 4))
    }

    /// Problems with `evaluation` (sizes or method the run does not evaluate), as sentences, each
    /// with the key it belongs to.
    func mismatches(_ evaluation: EvaluationConfig) -> [(key: CodingKeys, message: String)] {
        var problems: [(CodingKeys, String)] = []
        let missing = at.filter { !evaluation.resolutions.contains($0) }
        if !missing.isEmpty {
            problems.append((.at, "\(missing.map { "\($0) px" }.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") not among the evaluated sizes (\(evaluation.resolutions.listed)); a remedy is compared with the untreated model at the same size, so add \(missing.count == 1 ? "it" : "them") to evaluation.resolutions."))
        }
        if let method, !evaluation.methods.contains(method) {
            problems.append((.method, "`\(method.rawValue)` is not among the evaluated methods (\(evaluation.methods.map(\.rawValue).joined(separator: ", "))); the remedies are paired with the untreated model's predictions under the same method."))
        }
        if let antialias, !evaluation.antialias.contains(antialias) {
            problems.append((.antialias, "antialias \(antialias) is not evaluated in this run (evaluation.antialias: \(evaluation.antialias.map(String.init).joined(separator: ", ")))."))
        }
        return problems
    }

    /// The test conditions of the remedies: every size of `at` with the chosen method.
    func keys(_ evaluation: EvaluationConfig) -> [EvaluationKey] {
        let method = method ?? evaluation.methods[0], antialias = antialias ?? evaluation.antialias[0]
        return at.map { EvaluationKey(resolution: $0, method: method, antialias: antialias) }
    }
}

/// `remedies.bn_recal:` — how many unlabelled training images re-estimate the statistics, and
/// how many run through the network at once (memory: one training workspace of `batch` images).
public struct BatchNormRecalibration: Codable, Equatable, Sendable {
    public var images = 1024
    public var batch = 128

    enum CodingKeys: String, CodingKey, CaseIterable { case images, batch }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        images = f.optional(.images) ?? images
        batch = f.optional(.batch) ?? batch
        f.check(images >= 2, .images, "must be at least 2.")
        f.check(batch >= 2, .batch, "must be at least 2 (a batch of one image has no variance at 1×1).")
    }
}

/// `remedies.fixres:` — the fine-tuning FixRes does at the test size: SGD with momentum 0.9 and
/// a cosine schedule from `lr`, no weight decay, on `images` training images (0: all) resized to
/// the test size like the test images, flipped when training flips, for `epochs` epochs.
public struct FixResConfig: Codable, Equatable, Sendable {
    public var epochs = 1
    public var lr = 0.01
    public var batch = 64
    public var images = 0

    enum CodingKeys: String, CodingKey, CaseIterable { case epochs, lr, batch, images }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        epochs = f.optional(.epochs) ?? epochs
        lr = f.optional(.lr) ?? lr
        batch = f.optional(.batch) ?? batch
        images = f.optional(.images) ?? images
        f.check(epochs >= 1, .epochs, "must be at least 1.")
        f.check(lr > 0, .lr, "must be positive.")
        f.check(batch >= 2, .batch, "must be at least 2 (batch norm trains on batch statistics).")
        f.check(images >= 0, .images, "must be 0 (all) or a count of images.")
    }
}
