// The two float32 passes of the network-input path: the same weights as the 8-bit passes
// (`AxisWeights.weights`), no rounding between or after the passes.
//
// Legend: C = channels (1 or 3); a row is W·C interleaved values; strides are in elements.
// Unchecked: callers guarantee that every `first[i] + taps` lies inside the source.

/// Horizontal pass from bytes to floats: dst[r, o, c] = Σ_k weight[i, k] · src[r, first[i] + k, c]
/// for o in 0..<outputs.count, i = outputs.lowerBound + o.
func resampleRows(_ src: UnsafePointer<UInt8>, srcStride: Int, rows: Int, channels: Int,
                  _ table: AxisWeights, outputs: Range<Int>,
                  into dst: UnsafeMutablePointer<Float>, dstStride: Int) {
    let taps = table.taps
    for r in 0..<rows {
        let srcRow = src + r * srcStride
        var out = dst + r * dstStride
        for i in outputs {
            let w = table.weights + i * taps
            var p = srcRow + Int(table.first[i]) * channels
            if channels == 3 {
                var s0: Float = 0, s1: Float = 0, s2: Float = 0
                for k in 0..<taps {
                    let wk = w[k]
                    s0 += Float(p[0]) * wk
                    s1 += Float(p[1]) * wk
                    s2 += Float(p[2]) * wk
                    p += 3
                }
                out[0] = s0
                out[1] = s1
                out[2] = s2
            } else {
                var s: Float = 0
                for k in 0..<taps { s += Float(p[k]) * w[k] }
                out[0] = s
            }
            out += channels
        }
    }
}

/// Vertical pass on floats: dst row o = Σ_k weight[i, k] · src row (first[i] + k − rowOffset),
/// for o in 0..<outputs.count, i = outputs.lowerBound + o; each row is `length` values.
func resampleColumns(_ src: UnsafePointer<Float>, srcStride: Int, rowOffset: Int, length: Int,
                     _ table: AxisWeights, outputs: Range<Int>,
                     into dst: UnsafeMutablePointer<Float>, dstStride: Int) {
    let taps = table.taps
    let vectorEnd = length - length % 16
    for (o, i) in outputs.enumerated() {
        let w = table.weights + i * taps
        let top = src + (Int(table.first[i]) - rowOffset) * srcStride
        let out = dst + o * dstStride
        var x = 0
        while x < vectorEnd {
            var sum = SIMD16<Float>()
            var p = top + x
            for k in 0..<taps {
                sum.addProduct(UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self), w[k])
                p += srcStride
            }
            UnsafeMutableRawPointer(out + x).storeBytes(of: sum, as: SIMD16<Float>.self)
            x += 16
        }
        while x < length {
            var s: Float = 0
            for k in 0..<taps { s += top[k * srcStride + x] * w[k] }
            out[x] = s
            x += 1
        }
    }
}
