/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so that a split is the same
/// on every platform and Swift version (the system generator cannot be seeded).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random permutation of `0..<count` by Fisher–Yates, drawing j uniformly from 0...i as
    /// `next() % (i + 1)` (the modulo bias, below 2⁻³², does not matter for splitting data).
    /// Spelled out rather than `shuffle(using:)`, whose algorithm the standard library may change.
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
