import Foundation

/// The standard normal distribution's cumulative distribution function,
/// Φ(x) = erfc(−x/√2) / 2 (DLMF 7.18), accurate in both tails because `erfc` is.
public func normalCDF(_ x: Double) -> Double {
    0.5 * erfc(-x / 2.0.squareRoot())
}

/// The standard normal quantile Φ⁻¹(p) for p in (0, 1): the x with Φ(x) = p.
///
/// Newton's method on Φ(x) − p with the density φ(x) = exp(−x²/2)/√(2π). For p > 1/2 it
/// solves the mirrored tail (Φ⁻¹(p) = −Φ⁻¹(1−p)) so the target stays a small tail mass. Φ is
/// convex for x < 0, so Newton converges monotonically from any start right of the root; both
/// starts are: the logistic approximation x₀ = ln(p/(1−p)) · √3/π for p ≥ 0.1, and the tail
/// asymptote x₀ = −√(u − ln u − ln 2π) with u = −2 ln p (from Mills' ratio) below.
public func normalQuantile(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1, got \(p)")
    if p > 0.5 { return -normalQuantile(1 - p) }
    if p == 0.5 { return 0 }
    let u = -2 * log(p)
    var x = p >= 0.1 ? log(p / (1 - p)) * 3.0.squareRoot() / Double.pi
                     : -(u - log(u) - log(2 * Double.pi)).squareRoot()
    for _ in 0..<100 {
        let density = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
        let step = (normalCDF(x) - p) / density
        x -= step
        if abs(step) <= 1e-15 * max(1, abs(x)) { break }
    }
    return x
}
