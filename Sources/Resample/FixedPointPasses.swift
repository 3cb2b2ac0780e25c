// The two 8-bit passes, in Pillow's fixed point (Resample.c, ImagingResample{Horizontal,Vertical}_8bpc):
//
//     out = clip8((2^21 + Σ_k w_k · in_k) >> 22),   w_k = round(weight_k · 2^22)
//
// Legend: C = channels (1 or 3); a row is W·C interleaved bytes; strides are in bytes.
// Unchecked: callers guarantee that every `first[i] + taps` lies inside the source.

/// 2^21: adding half of the last fixed-point unit makes `>> 22` round to nearest.
private let half = Int32(1) << (precisionBits - 1)

/// Pillow's clip8: the rounded value clamped to 0...255 (sums ≥ 2^30 saturate).
@inline(__always)
private func clip8(_ sum: Int32) -> UInt8 {
    UInt8(truncatingIfNeeded: min(max(sum, 0), (Int32(1) << 30) - 1) >> precisionBits)
}

/// Horizontal pass over `rows` rows: dst[r, o, c] = Σ_k fixed[i, k] · src[r, first[i] + k, c]
/// for o in 0..<outputs.count, i = outputs.lowerBound + o.
func resampleRows(_ src: UnsafePointer<UInt8>, srcStride: Int, rows: Int, channels: Int,
                  _ table: AxisWeights, outputs: Range<Int>,
                  into dst: UnsafeMutablePointer<UInt8>, dstStride: Int) {
    let taps = table.taps
    for r in 0..<rows {
        let srcRow = src + r * srcStride
        var out = dst + r * dstStride
        for i in outputs {
            let w = table.fixed + i * taps
            var p = srcRow + Int(table.first[i]) * channels
            if channels == 3 {
                var s0 = half, s1 = half, s2 = half
                for k in 0..<taps {
                    let wk = w[k]
                    s0 &+= Int32(p[0]) &* wk
                    s1 &+= Int32(p[1]) &* wk
                    s2 &+= Int32(p[2]) &* wk
                    p += 3
                }
                out[0] = clip8(s0)
                out[1] = clip8(s1)
                out[2] = clip8(s2)
            } else {
                var s = half
                for k in 0..<taps { s &+= Int32(p[k]) &* w[k] }
                out[0] = clip8(s)
            }
            out += channels
        }
    }
}

/// Vertical pass: dst row o = Σ_k fixed[i, k] · src row (first[i] + k − rowOffset), for
/// o in 0..<outputs.count, i = outputs.lowerBound + o; each row is `length` bytes. The source
/// holds the rows from `rowOffset` on.
func resampleColumns(_ src: UnsafePointer<UInt8>, srcStride: Int, rowOffset: Int, length: Int,
                     _ table: AxisWeights, outputs: Range<Int>,
                     into dst: UnsafeMutablePointer<UInt8>, dstStride: Int) {
    let taps = table.taps
    let vectorEnd = length - length % 16
    for (o, i) in outputs.enumerated() {
        let w = table.fixed + i * taps
        let top = src + (Int(table.first[i]) - rowOffset) * srcStride
        let out = dst + o * dstStride
        // 16 bytes at a time: widen to Int32, multiply-accumulate, clip, narrow.
        var x = 0
        while x < vectorEnd {
            var sum = SIMD16<Int32>(repeating: half)
            var p = top + x
            for k in 0..<taps {
                let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
                sum &+= SIMD16<Int32>(truncatingIfNeeded: v) &* w[k]
                p += srcStride
            }
            sum.clamp(lowerBound: .zero, upperBound: SIMD16(repeating: (Int32(1) << 30) - 1))
            let bytes = SIMD16<UInt8>(truncatingIfNeeded: sum &>> precisionBits)
            UnsafeMutableRawPointer(out + x).storeBytes(of: bytes, as: SIMD16<UInt8>.self)
            x += 16
        }
        while x < length {
            var s = half
            for k in 0..<taps { s &+= Int32(top[k * srcStride + x]) &* w[k] }
            out[x] = clip8(s)
            x += 1
        }
    }
}
