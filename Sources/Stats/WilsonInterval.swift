/// The Wilson score interval for a binomial proportion (Wilson 1927; Agresti & Coull 1998):
/// with p̂ = k/n and z = Φ⁻¹(1 − α/2),
///
///     centre = (p̂ + z²/(2n)) / (1 + z²/n)
///     half   = z / (1 + z²/n) · √(p̂(1−p̂)/n + z²/(4n²))
///
/// Unlike the normal ("Wald") interval it stays inside [0, 1] and keeps its coverage near 0% and
/// 100% accuracy. With no trials it is the whole of [0, 1].
public func wilsonInterval(successes: Int, trials: Int, confidence: Double = 0.95) -> Interval {
    precondition(trials >= 0 && successes >= 0 && successes <= trials,
                 "wilsonInterval needs 0 ≤ successes ≤ trials, got \(successes) of \(trials)")
    precondition(confidence > 0 && confidence < 1, "confidence must lie in (0, 1), got \(confidence)")
    if trials == 0 { return Interval(lower: 0, upper: 1) }
    let n = Double(trials)
    let proportion = Double(successes) / n
    let z = normalQuantile(1 - (1 - confidence) / 2)
    let z2 = z * z
    let denominator = 1 + z2 / n
    let centre = (proportion + z2 / (2 * n)) / denominator
    let half = z / denominator * (proportion * (1 - proportion) / n + z2 / (4 * n * n)).squareRoot()
    // p̂ = 0 and p̂ = 1 give centre = half exactly in real arithmetic; clamp the rounding.
    return Interval(lower: max(0, centre - half), upper: min(1, centre + half))
}
