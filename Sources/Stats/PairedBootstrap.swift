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
    if n == 0 { return Interval(lower: 0, upper: 0) }
    // Only discordant images contribute; draws past the end of this list add 0.
    let nonzero = outcomes.imageDifferences.filter { $0 != 0 }
    if nonzero.isEmpty { return Interval(lower: 0, upper: 0) }
    let scale = 1 / Double(n * outcomes.seeds)
    var generator = SplitMix64(seed: seed)
    var replicates = [Double](repeating: 0, count: resamples)
    nonzero.withUnsafeBufferPointer { values in
        for r in 0..<resamples {
            var sum = 0
            for _ in 0..<n {
                let index = generator.next(below: n)
                if index < values.count { sum += values[index] }
            }
            replicates[r] = Double(sum) * scale
        }
    }
    replicates.sort()
    let alpha = 1 - confidence
    return Interval(lower: percentile(sorted: replicates, alpha / 2),
                    upper: percentile(sorted: replicates, 1 - alpha / 2))
}

/// The q-quantile of sorted values by linear interpolation between order statistics:
/// position q · (count − 1), as numpy.percentile's default "linear" method.
func percentile(sorted values: [Double], _ q: Double) -> Double {
    let position = q * Double(values.count - 1)
    let below = Int(position.rounded(.down))
    let above = min(below + 1, values.count - 1)
    let fraction = position - Double(below)
    return values[below] + (values[above] - values[below]) * fraction
}
