/// A small seeded random number generator (SplitMix64, Steele, Lea & Flood 2014) with the same
/// output on every machine: it uses only integer arithmetic, and `uniform` converts with one
/// exact scaling. Initialisation and dropout draw from it, so the same seed gives the same
/// weights everywhere.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
}
