import SeededRandom
/// A paired bootstrap percentile interval for the accuracy difference (first − second) of two
/// evaluations on the same images (Efron & Tibshirani 1993, ch. 13).
///
/// Each of `resamples` replicates draws `imageCount` images with replacement (an image carries
/// all of its seeds) and takes Σ imageDifferences / (images · seeds); the interval is the
/// (α/2, 1 − α/2) percentiles of the replicates with linear interpolation (numpy's default).
/// The generator is seeded, so the same outcomes and seed give the same interval everywhere.
public func pairedBootstrapInterval(_ outcomes: PairedOutcomes, confidence: Double = 0.95,
                                    resamples: Int = 2000, seed: UInt64 = 0x5EED) -> Interval {
    precondition(resamples >= 2, "pairedBootstrapInterval needs at least 2 resamples")
    let n = outcomes.imageCount
    precondition(n < 1 << 32, "pairedBootstrapInterval draws image indices from 32 bits; \(n) images are too many")
    if n == 0 || outcomes.imageDifferences.allSatisfy({ $0 == 0 }) { return Interval(lower: 0, upper: 0) }
    let scale = 1 / Double(n * outcomes.seeds)
    var indices = ImageIndices(count: n, seed: seed)
    var replicates = [Double](repeating: 0, count: resamples)
    // Every image's difference, zeros included, is looked up without a branch: the earlier
    // "index < discordant count" test mispredicted on about every other discordant draw.
    outcomes.imageDifferences.map(Int32.init).withUnsafeBufferPointer { values in
        for r in 0..<resamples {
            var sum = 0
            var drawn = 0
            while drawn + 1 < n {
                let (i, j) = indices.nextPair()
                sum += Int(values[i]) + Int(values[j])
                drawn += 2
            }
            if drawn < n { sum += Int(values[indices.nextPair().0]) }
            replicates[r] = Double(sum) * scale
        }
    }
    replicates.sort()
    let alpha = 1 - confidence
    return Interval(lower: percentile(sorted: replicates, alpha / 2),
                    upper: percentile(sorted: replicates, 1 - alpha / 2))
}

/// Uniform indices in 0..<count, two from each 64-bit SplitMix64 output: each 32-bit half x maps
/// to the high word of x · count (Lemire 2019), redrawing the few x whose low word falls below
/// 2³² mod count, so there is no modulo bias. Half the generator calls of one index per output.
private struct ImageIndices {
    private var generator: SplitMix64
    private let count: UInt64
    /// 2³² mod count: low words below it would favour small indices.
    private let threshold: UInt64

    init(count: Int, seed: UInt64) {
        generator = SplitMix64(seed: seed)
        self.count = UInt64(count)
        threshold = (1 << 32) % UInt64(count)
    }

    @inline(__always)
    mutating func nextPair() -> (Int, Int) {
        let bits = generator.next()
        return (index(bits & 0xFFFF_FFFF), index(bits >> 32))
    }

    @inline(__always)
    private mutating func index(_ half: UInt64) -> Int {
        var product = half &* count
        while product & 0xFFFF_FFFF < threshold { product = (generator.next() >> 32) &* count }
        return Int(truncatingIfNeeded: product >> 32)
    }
}

/// The q-quantile of sorted values by linear interpolation between order statistics:
/// position q · (count − 1), as numpy.percentile's default "linear" method; 0 for no values.
public func percentile(sorted values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return 0 }
    let position = q * Double(values.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(below + 1, values.count - 1)
    let fraction = position - Double(below)
    return values[below] + (values[above] - values[below]) * fraction
}
