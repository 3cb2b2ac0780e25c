/// SplitMix64 (Steele, Lea & Flood 2014, as published by Vigna): a tiny, fast generator whose
/// stream depends only on its seed and uses only integer arithmetic, so the same seed gives the
/// same initial weights, dropout masks, data splits, generated images and bootstrap resamples on
/// every machine and Swift version (the standard library's generator is neither seedable nor
/// pinned). It is reslab's only random number generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The whole state: `SplitMix64(seed: state)` continues this generator's stream exactly
    /// (what a resumable training state saves).
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound, by Lemire's multiply-and-reject method (Lemire 2019,
    /// "Fast Random Integer Generation in an Interval"): the high word of x · bound, rejecting
    /// the few x whose low word falls below 2⁶⁴ mod bound, so there is no modulo bias.
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "next(below:) needs a positive bound, got \(bound)")
        let bound = UInt64(bound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }
}

extension SplitMix64 {
    /// A float uniform in [0, 1): the top 24 bits of `next()` times 2⁻²⁴ (exact in Float).
    @inline(__always)
    public mutating func uniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A float uniform in [-limit, limit).
    @inline(__always)
    public mutating func uniform(limit: Float) -> Float {
        (2 * uniform() - 1) * limit
    }

    /// A random permutation of `0..<count` by Fisher–Yates, drawing j uniformly from 0...i as
    /// `next() % (i + 1)` (the modulo bias, below 2⁻³², does not matter for splitting data).
    /// Spelled out rather than `shuffle(using:)`, whose algorithm the standard library may change.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
