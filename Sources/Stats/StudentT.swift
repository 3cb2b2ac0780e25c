/// Student's t distribution with ν degrees of freedom.
///
/// Its CDF follows from the incomplete beta function (DLMF 8.17.1 with Abramowitz & Stegun
/// 26.7.1): for t ≥ 0, P(T > t) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2.
public struct StudentT: Sendable {
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "Student's t needs ν > 0 degrees of freedom, got \(degreesOfFreedom)")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T > t) for t ≥ 0, computed directly so small tails keep their relative precision.
    private func upperTail(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        return 0.5 * regularizedIncompleteBeta(a: nu / 2, b: 0.5, x: nu / (nu + t * t))
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        t >= 0 ? 1 - upperTail(t) : upperTail(-t)
    }

    /// The quantile t_p with P(T ≤ t_p) = p, for p in (0, 1).
    ///
    /// Bisection on the upper tail P(T > t) = 1 − p over a bracket [0, hi] grown by doubling;
    /// the tail decreases monotonically in t, so bisection to adjacent doubles is safe and exact
    /// to the precision of the incomplete beta function (about 1e-14 relative).
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "StudentT.quantile needs 0 < p < 1, got \(p)")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p) }
        let tail = 1 - p
        var low = 0.0
        var high = 1.0
        while upperTail(high) > tail { low = high; high *= 2 }
        while true {
            let middle = 0.5 * (low + high)
            if middle <= low || middle >= high { return middle }
            if upperTail(middle) > tail { low = middle } else { high = middle }
        }
    }
}
