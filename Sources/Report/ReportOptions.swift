import Resample

/// The levels a report's findings use; the defaults are those the documentation describes.
public struct ReportOptions: Sendable, Equatable {
    /// A resolution "keeps" a model's accuracy while the lower bound of its interval is at least
    /// this share of the peak accuracy; the first resolution that does not is a drop point.
    public var dropShare: Double
    /// Level of every interval (cells, differences).
    public var confidence: Double
    /// Family-wise error rate for the paired tests behind each finding (after Holm's correction).
    public var alpha: Double
    /// Replicates of each paired bootstrap interval.
    public var bootstrapResamples: Int
    /// Seed of the bootstrap generator: the same data always gives the same page.
    public var bootstrapSeed: UInt64
    /// Test images shown per resolution and method in "What the network sees": at most this many,
    /// and no more than keep their PNGs (every size and method) within `exampleBytes`, at least one.
    public var exampleImages: Int
    public var exampleBytes: Int
    /// The resize method the others are compared to (its antialiased variant when both were
    /// run); nil: the first method in the results (the experiment file's first).
    public var referenceMethod: Filter?

    public init(dropShare: Double = 0.9, confidence: Double = 0.95, alpha: Double = 0.05,
                bootstrapResamples: Int = 2000, bootstrapSeed: UInt64 = 20_261_126, exampleImages: Int = 4,
                exampleBytes: Int = 3 << 20, referenceMethod: Filter? = nil) {
        self.dropShare = dropShare
        self.confidence = confidence
        self.alpha = alpha
        self.bootstrapResamples = bootstrapResamples
        self.bootstrapSeed = bootstrapSeed
        self.exampleImages = exampleImages
        self.exampleBytes = exampleBytes
        self.referenceMethod = referenceMethod
    }
}
