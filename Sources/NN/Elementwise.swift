import SeededRandom
/// ReLU and dropout, elementwise over a whole (N, …) tensor of `count` values.

/// y = max(x, 0), in place when x == y.
func reluForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int, scratch: Scratch) {
    scratch.forParts(count / 16) { _, range in
        for i in range {
            let value = load16(x + 16 &* i)
            store16(value.replacing(with: 0, where: value .< 0), y + 16 &* i)
        }
    }
    for i in count / 16 * 16..<count { y[i] = max(x[i], 0) }
}

/// From `y = max(x, 0)`: dx = dy · [y > 0] (in place when dx == dy).
func reluBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int, scratch: Scratch) {
    scratch.forParts(count / 16) { _, range in
        for i in range {
            let at = 16 &* i
            store16(load16(dy + at).replacing(with: 0, where: load16(y + at) .<= 0), dx + at)
        }
    }
    for i in count / 16 * 16..<count { dx[i] = y[i] > 0 ? dy[i] : 0 }
}

/// Inverted dropout in training: mask[i] = 0 with probability `rate`, else 1 / (1 − rate);
/// y = x · mask. The mask comes from `generator`, serially, so it does not depend on threads.
func dropoutForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>,
                    rate: Float, count: Int, generator: inout SplitMix64) {
    let keep = 1 / (1 - rate)
    for i in 0..<count {
        mask[i] = generator.uniform() < rate ? 0 : keep
        y[i] = x[i] * mask[i]
    }
}

/// From `y = x · mask`: dx = dy · mask.
func dropoutBackward(dy: UnsafePointer<Float>, mask: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { dx[i] = dy[i] * mask[i] }
}
