import Foundation

/// The exact (binomial) McNemar test of "both evaluations are equally accurate" on a paired
/// right/wrong table (McNemar 1947; Fagerland, Lydersen & Laake 2013).
///
/// Only the discordant pairs carry information: under the null hypothesis each of the
/// n = b + c discordant pairs is equally likely to favour either side, so b ~ Binomial(n, 1/2) and
/// the two-sided p-value is min(1, 2 · P(X ≤ min(b, c))). With no discordant pairs
/// (identical outcomes, all right or all wrong) there is no evidence of a difference: p = 1.
public func exactMcNemarPValue(onlyFirstRight b: Int, onlySecondRight c: Int) -> Double {
    precondition(b >= 0 && c >= 0, "exactMcNemarPValue needs counts ≥ 0, got b = \(b), c = \(c)")
    let n = b + c
    if n == 0 { return 1 }
    return min(1, 2 * binomialHalfCDF(min(b, c), trials: n))
}

extension PairedOutcomes {
    /// The exact McNemar p-value of this table, see `exactMcNemarPValue`.
    public var mcNemarPValue: Double {
        exactMcNemarPValue(onlyFirstRight: onlyFirstRight, onlySecondRight: onlySecondRight)
    }
}

/// P(X ≤ k) for X ~ Binomial(n, 1/2) and k ≤ n/2: Σ_{i≤k} C(n, i) / 2ⁿ.
///
/// The terms grow with i up to n/2, so the sum starts at the largest term
/// C(n, k)/2ⁿ = exp(lnΓ(n+1) − lnΓ(k+1) − lnΓ(n−k+1) − n ln 2) and walks down with
/// C(n, i−1) = C(n, i) · i / (n − i + 1) until the terms no longer change the sum. Everything stays
/// relative to that term, so p-values as small as 1e-300 keep about 12 significant digits.
func binomialHalfCDF(_ k: Int, trials n: Int) -> Double {
    precondition(k >= 0 && 2 * k <= n + 1, "binomialHalfCDF needs 0 ≤ k ≤ n/2")
    var term = exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
                   - Double(n) * log(2.0))
    var sum = term
    var i = k
    while i > 0 {
        term *= Double(i) / Double(n - i + 1)
        let next = sum + term
        if next == sum { break }
        sum = next
        i -= 1
    }
    return sum
}
