import Foundation

/// The regularized incomplete beta function
/// I_x(a, b) = B(x; a, b) / B(a, b) = ∫₀ˣ tᵃ⁻¹ (1−t)ᵇ⁻¹ dt / B(a, b), for a, b > 0 and 0 ≤ x ≤ 1.
///
/// Evaluated with the continued fraction DLMF 8.17.22 (modified Lentz method, as in Numerical
/// Recipes §6.4), which converges fast for x < (a+1)/(a+b+2); above that point it uses the
/// symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
public func regularizedIncompleteBeta(a: Double, b: Double, x: Double) -> Double {
    precondition(a > 0 && b > 0, "regularizedIncompleteBeta needs a, b > 0, got a = \(a), b = \(b)")
    precondition(x >= 0 && x <= 1, "regularizedIncompleteBeta needs 0 ≤ x ≤ 1, got \(x)")
    if x == 0 || x == 1 { return x }
    // xᵃ (1−x)ᵇ / B(a, b), the prefactor of the continued fraction.
    let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
    if x < (a + 1) / (a + b + 2) {
        return front * betaContinuedFraction(a: a, b: b, x: x) / a
    }
    return 1 - front * betaContinuedFraction(a: b, b: a, x: 1 - x) / b
}

/// The continued fraction 1/(1+ d₁/(1+ d₂/(1+ …))) of DLMF 8.17.22 with
/// d₂ₘ₊₁ = −(a+m)(a+b+m) x / ((a+2m)(a+2m+1)) and d₂ₘ = m(b−m) x / ((a+2m−1)(a+2m)),
/// evaluated front to back by the modified Lentz method.
private func betaContinuedFraction(a: Double, b: Double, x: Double) -> Double {
    let tiny = 1e-300
    /// Lentz's guard: a denominator that cancels to zero is replaced by a tiny number.
    func guarded(_ value: Double) -> Double { abs(value) < tiny ? tiny : value }
    var c = 1.0
    var d = 1 / guarded(1 - (a + b) * x / (a + 1))
    var result = d
    for m in 1...10_000 {
        let m = Double(m)
        let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1 / guarded(1 + even * d)
        c = guarded(1 + even / c)
        result *= d * c
        let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 / guarded(1 + odd * d)
        c = guarded(1 + odd / c)
        let factor = d * c
        result *= factor
        if abs(factor - 1) < 1e-16 { break }
    }
    return result
}
