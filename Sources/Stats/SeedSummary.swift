/// The accuracies of one cell (model, test resolution, method) over several training seeds:
/// their mean, spread, and, with at least 3 seeds, a Student-t confidence interval for the mean,
/// mean ± t_{1−α/2, n−1} · s/√n with s the sample standard deviation (n − 1 in the denominator).
///
/// With 2 seeds a t-interval exists but is uselessly wide (t_{0.975,1} = 12.7), so it is omitted
/// and readers see the spread [min, max] instead.
public struct SeedSummary: Codable, Sendable, Equatable {
    public var count: Int
    public var mean: Double
    /// Sample standard deviation; 0 with a single seed.
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double
    /// The t-interval for the mean; `nil` with fewer than 3 seeds.
    public var interval: Interval?

    public init(_ values: [Double], confidence: Double = 0.95) {
        precondition(!values.isEmpty, "SeedSummary needs at least one value")
        let n = Double(values.count)
        count = values.count
        mean = values.reduce(0, +) / n
        let mean = mean
        standardDeviation = values.count > 1
            ? (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot() : 0
        minimum = values.min()!
        maximum = values.max()!
        if values.count >= 3 {
            let t = StudentT(degreesOfFreedom: n - 1).quantile(1 - (1 - confidence) / 2)
            let half = t * standardDeviation / n.squareRoot()
            interval = Interval(lower: mean - half, upper: mean + half)
        } else {
            interval = nil
        }
    }
}
