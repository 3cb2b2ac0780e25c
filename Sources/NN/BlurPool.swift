/// BlurPool (Zhang, "Making Convolutional Networks Shift-Invariant Again", ICML 2019): a fixed
/// low-pass filter applied per channel, then subsampled by the stride:
///
///     y[n, ho, wo, c] = Σ_{i, j} a_i a_j x[n, r(ho·s − p + i), r(wo·s − p + j), c]
///
/// with a = binomial(f − 1) / 2^(f − 1) (f = 3: [1, 2, 1]/4; f = 4: [1, 3, 3, 1]/8), p = ⌊(f − 1)/2⌋
/// and r() reflecting indices at the borders as the reference implementation's reflect padding.
struct BlurPool {
    let plan: LayerPlan
    let batch: Int

    /// The 1-D binomial taps a_i = C(f − 1, i) / 2^(f − 1) for i < f ≤ 8 (they sum to 1).
    static func taps(_ filter: Int) -> SIMD8<Float> {
        var taps = SIMD8<Float>(repeating: 0)
        var coefficient = 1
        for i in 0..<filter {
            taps[i] = Float(coefficient) / Float(1 << (filter - 1))
            coefficient = coefficient * (filter - 1 - i) / (i + 1)
        }
        return taps
    }

    /// Reflects index `i` into 0..<n without repeating the edge (…, 2, 1, 0, 1, 2, …).
    @inline(__always)
    static func reflect(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        let period = 2 &* (n &- 1)
        var k = i % period
        if k < 0 { k &+= period }
        return k < n ? k : period &- k
    }

    /// Calls `body(output pixel, input pixel, weight)` for every tap of image-local windows.
    @inline(__always)
    private func forEachTap(_ taps: SIMD8<Float>, _ body: (Int, Int, Float) -> Void) {
        let rows = plan.rows!, columns = plan.columns!
        for ho in 0..<rows.output {
            for i in 0..<rows.taps {
                let hi = BlurPool.reflect(ho &* rows.stride &- rows.padBefore &+ i, rows.input)
                for wo in 0..<columns.output {
                    for j in 0..<columns.taps {
                        let wi = BlurPool.reflect(wo &* columns.stride &- columns.padBefore &+ j, columns.input)
                        body(ho &* columns.output &+ wo, hi &* columns.input &+ wi, taps[i] * taps[j])
                    }
                }
            }
        }
    }

    func forward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels, taps = BlurPool.taps(plan.rows!.taps)
        let outputs = plan.output.height * plan.output.width
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = x + n &* plan.input.count, out = y + n &* outputs &* c
                out.update(repeating: 0, count: outputs &* c)
                forEachTap(taps) { o, p, weight in addScaledVector(image + p &* c, scale: weight, to: out + o &* c, count: c) }
            }
        }
    }

    /// The adjoint of the forward line: dx[n, r(…), r(…), c] += a_i a_j dy[n, ho, wo, c]. Overwrites dx.
    func backward(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels, taps = BlurPool.taps(plan.rows!.taps)
        let outputs = plan.output.height * plan.output.width
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = dx + n &* plan.input.count, grad = dy + n &* outputs &* c
                image.update(repeating: 0, count: plan.input.count)
                forEachTap(taps) { o, p, weight in addScaledVector(grad + o &* c, scale: weight, to: image + p &* c, count: c) }
            }
        }
    }
}
