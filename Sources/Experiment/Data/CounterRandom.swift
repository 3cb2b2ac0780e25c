/// Counter-based random numbers: each draw is a pure function of its keys (seed, epoch, image
/// index, …), so an epoch's order or an image's augmentation never depends on what ran before,
/// and a resumed or re-run cell draws exactly the same numbers.
///
/// The mixer is SplitMix64's finaliser (Steele, Lea and Flood 2014) folded over the keys.
struct CounterRandom {
    var keys: [UInt64]

    init(_ keys: Int...) { self.keys = keys.map { UInt64(bitPattern: Int64($0)) } }

    /// 64 random bits for `counter`.
    func bits(_ counter: Int) -> UInt64 {
        var z: UInt64 = 0x243F_6A88_85A3_08D3
        for key in keys + [UInt64(bitPattern: Int64(counter))] {
            z = mix(z ^ key &+ 0x9E37_79B9_7F4A_7C15)
        }
        return z
    }

    /// Uniform in [0, 1) for `counter`, from the top 53 bits.
    func unit(_ counter: Int) -> Double { Double(bits(counter) >> 11) * 0x1p-53 }

    /// A permutation of `0..<count` by Fisher–Yates, j drawn as `bits(i) % (i + 1)`.
    func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(bits(i) % UInt64(i + 1)))
        }
        return order
    }

    private func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
