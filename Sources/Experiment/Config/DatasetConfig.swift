/// `dataset:` — where images come from, how they split, and how pixels are normalised.
public struct DatasetConfig: Codable, Equatable, Sendable {
    /// A class-per-folder dataset (with `train/` and `val/` or `test/` splits, or one folder that
    /// is split by `test_fraction`). Relative paths are relative to the working directory.
    public var folder: String?
    /// The built-in generated dataset (no download); exactly one of `folder` and `generated`.
    public var generated: GeneratedConfig?
    /// Share of each class held out for testing when the folder has no split folders.
    public var testFraction: Double = 0.2
    /// Seeds the stratified split of a folder without split folders.
    public var splitSeed: Int = 0
    public var normalization: NormalizationConfig = .dataset
    /// The channels every model of the experiment takes (`ColorMode`).
    public var color: ColorMode = .rgb

    enum CodingKeys: String, CodingKey, CaseIterable {
        case folder, generated, testFraction = "test_fraction", splitSeed = "split_seed", normalization, color
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        folder = f.optional(.folder)
        generated = f.optional(.generated)
        testFraction = f.optional(.testFraction) ?? testFraction
        splitSeed = f.optional(.splitSeed) ?? splitSeed
        normalization = f.optional(.normalization) ?? normalization
        color = f.optional(.color) ?? color
        if f.contains(.folder) == f.contains(.generated) {
            f.problem("give either `folder:` (a class-per-folder dataset) or `generated:` (the built-in dataset), not \(f.contains(.folder) ? "both" : "neither").")
        }
        f.check(testFraction > 0 && testFraction < 1, .testFraction, "must lie between 0 and 1, e.g. 0.2.")
    }
}

/// `color:` — what the images become before a network sees them, and so the channels of every
/// model's input: `rgb` (3 channels; a grayscale image repeats its value in R, G and B, as
/// torchvision's `ImageFolder` loader does) or `grayscale` (1 channel, as MNIST is usually
/// trained; an RGB image becomes its ITU-R 601 luma, as Pillow's `convert("L")`).
public enum ColorMode: String, ConfigEnum, Sendable {
    case rgb, grayscale

    /// 3 for `rgb`, 1 for `grayscale`.
    public var channels: Int { self == .rgb ? 3 : 1 }
}

/// `generated:` — the built-in stripes dataset (see `GeneratedStripes` in Datasets).
public struct GeneratedConfig: Codable, Equatable, Sendable {
    /// Side of the generated images in pixels.
    public var size: Int = 32
    /// Stripe period in pixels at `size`; the stripes vanish below test resolution `2 * size / period`.
    public var period: Double = 4
    public var trainPerClass: Int = 200
    public var testPerClass: Int = 100
    public var seed: Int = 1

    enum CodingKeys: String, CodingKey, CaseIterable {
        case size, period, trainPerClass = "train_per_class", testPerClass = "test_per_class", seed
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        size = f.optional(.size) ?? size
        period = f.optional(.period) ?? period
        trainPerClass = f.optional(.trainPerClass) ?? trainPerClass
        testPerClass = f.optional(.testPerClass) ?? testPerClass
        seed = f.optional(.seed) ?? seed
        f.check(size >= 8, .size, "must be at least 8 pixels.")
        f.check(period >= 2, .period, "must be at least 2 pixels (the Nyquist limit at full size).")
        f.check(trainPerClass >= 1, .trainPerClass, "must be at least 1.")
        f.check(testPerClass >= 1, .testPerClass, "must be at least 1.")
    }
}

/// `normalization:` — `none`, `dataset` (per-channel mean and std of the training images), or
/// `{mean: [...], std: [...]}` with one value per channel. Inputs become (x/255 − mean) / std.
public enum NormalizationConfig: Codable, Equatable, Sendable {
    case none
    case dataset
    case fixed(mean: [Double], std: [Double])

    enum CodingKeys: String, CodingKey, CaseIterable { case mean, std }

    public init(from decoder: Decoder) throws {
        if let word = try? decoder.singleValueContainer().decode(String.self) {
            switch word {
            case "none": self = .none
            case "dataset": self = .dataset
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "`\(word)` is not one of none, dataset, or a mapping {mean: [...], std: [...]}."))
            }
            return
        }
        let f = try FieldReader(decoder, CodingKeys.self)
        let mean: [Double] = f.required(.mean, "one value per channel, in 0...1") ?? [0]
        let std: [Double] = f.required(.std, "one value per channel") ?? [1]
        f.check(mean.count == std.count, .std, "give as many values as `mean` (\(mean.count)).")
        f.check(std.allSatisfy { $0 > 0 }, .std, "every value must be positive.")
        self = .fixed(mean: mean, std: std)
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .none: var c = encoder.singleValueContainer(); try c.encode("none")
        case .dataset: var c = encoder.singleValueContainer(); try c.encode("dataset")
        case let .fixed(mean, std):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(mean, forKey: .mean)
            try c.encode(std, forKey: .std)
        }
    }
}
