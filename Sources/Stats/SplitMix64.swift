/// SplitMix64 (Steele, Lea & Flood 2014, as published by Vigna): a tiny, fast generator whose
/// stream depends only on its seed, so every bootstrap in a report is reproducible on any
/// machine and Swift version (the standard library's generator is neither seedable nor pinned).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

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
