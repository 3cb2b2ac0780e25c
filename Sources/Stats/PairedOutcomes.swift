/// Per-image right/wrong outcomes of two evaluations on the same test images, e.g. one trained
/// model tested at two resolutions or with two resize methods.
///
/// With several training seeds each seed's two evaluations are paired image by image and the
/// 2×2 tables are pooled; `imageDifferences` keeps, per image, the summed difference over seeds so
/// a bootstrap can resample whole images (all seeds of an image together).
public struct PairedOutcomes: Sendable, Equatable {
    /// Pairs (seed, image) right in both evaluations.
    public var bothRight = 0
    /// Pairs right in the first evaluation only (McNemar's b).
    public var onlyFirstRight = 0
    /// Pairs right in the second evaluation only (McNemar's c).
    public var onlySecondRight = 0
    public var bothWrong = 0
    /// Number of seeds pooled.
    public let seeds: Int
    /// Per image: Σ over seeds of (right in first − right in second), in −seeds…seeds. (images)
    public let imageDifferences: [Int]

    /// Pairs `first[s][i]` with `second[s][i]`: seed s, image i.
    public init(first: [[Bool]], second: [[Bool]]) {
        precondition(!first.isEmpty && first.count == second.count,
                     "PairedOutcomes needs the same nonzero number of seeds on both sides, got \(first.count) and \(second.count)")
        let images = first[0].count
        precondition(first.allSatisfy { $0.count == images } && second.allSatisfy { $0.count == images },
                     "PairedOutcomes needs the same images in every evaluation")
        seeds = first.count
        var differences = [Int](repeating: 0, count: images)
        for (a, b) in zip(first, second) {
            for i in 0..<images {
                switch (a[i], b[i]) {
                case (true, true): bothRight += 1
                case (true, false): onlyFirstRight += 1; differences[i] += 1
                case (false, true): onlySecondRight += 1; differences[i] -= 1
                case (false, false): bothWrong += 1
                }
            }
        }
        imageDifferences = differences
    }

    /// One seed: `first[i]` paired with `second[i]`.
    public init(first: [Bool], second: [Bool]) {
        self.init(first: [first], second: [second])
    }

    public var imageCount: Int { imageDifferences.count }
    public var pairCount: Int { bothRight + onlyFirstRight + onlySecondRight + bothWrong }

    /// Accuracy of the first minus accuracy of the second, (b − c) / pairs; 0 with no pairs.
    public var difference: Double {
        pairCount == 0 ? 0 : Double(onlyFirstRight - onlySecondRight) / Double(pairCount)
    }
}
