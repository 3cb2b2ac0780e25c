import Stats

/// How much of the test images' content each test resolution cannot hold: per resolution, the
/// share of an image's contrast energy (Σ (x − mean)²) at DCT frequencies at or above the
/// Nyquist limit of the grid the image is resampled to (Resample's `SpectralEnergy`), over a
/// sample of the test images. Method-independent: an antialiasing resize removes this content, a
/// point-sampling one folds it into false detail. docs/statistics.md, "Nyquist budget".
public struct NyquistBudget: Codable, Sendable, Equatable {
    public struct Point: Codable, Sendable, Equatable {
        public var resolution: Int
        /// Mean over the sampled images of each image's share (each image counts once, as in accuracy).
        public var mean: Double
        /// The 25th and 75th percentiles of the per-image shares.
        public var lowerQuartile: Double
        public var upperQuartile: Double
        public init(resolution: Int, mean: Double, lowerQuartile: Double, upperQuartile: Double) {
            self.resolution = resolution
            self.mean = mean
            self.lowerQuartile = lowerQuartile
            self.upperQuartile = upperQuartile
        }
    }

    /// Test images measured (uniform images, which have no contrast, are left out).
    public var images: Int
    /// The median width and height of the measured images: below this size a resize shrinks.
    public var medianWidth: Int
    public var medianHeight: Int
    /// Ascending resolution.
    public var points: [Point]

    public init(images: Int, medianWidth: Int, medianHeight: Int, points: [Point]) {
        self.images = images
        self.medianWidth = medianWidth
        self.medianHeight = medianHeight
        self.points = points
    }

    public func point(at resolution: Int) -> Point? { points.first { $0.resolution == resolution } }

    /// Whether a square resize to `resolution` shrinks the typical test image on some axis.
    public func shrinks(at resolution: Int) -> Bool { resolution < max(medianWidth, medianHeight) }
}

extension NyquistBudget {
    /// The budget from per-image shares: `shares[i][j]` is image i's share at `resolutions[j]`.
    public init(resolutions: [Int], shares: [[Double]], widths: [Int], heights: [Int]) {
        let points = resolutions.indices.map { j -> Point in
            let column = shares.map { $0[j] }.sorted()
            let mean = column.isEmpty ? 0 : column.reduce(0, +) / Double(column.count)
            return Point(resolution: resolutions[j], mean: mean, lowerQuartile: percentile(sorted: column, 0.25),
                         upperQuartile: percentile(sorted: column, 0.75))
        }
        self.init(images: shares.count, medianWidth: Int(percentile(sorted: widths.map(Double.init).sorted(), 0.5)),
                  medianHeight: Int(percentile(sorted: heights.map(Double.init).sorted(), 0.5)), points: points)
    }
}
