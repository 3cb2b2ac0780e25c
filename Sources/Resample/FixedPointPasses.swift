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
/// for o in 0..<outputs.count, i = outputs.lowerBound + o, in `LaneWeights` blocks. At least 16
/// readable bytes must follow the last source row, and 1 writable byte the last output.
func resampleRows(_ src: UnsafePointer<UInt8>, srcStride: Int, rows: Int, channels: Int,
                  _ table: AxisWeights, outputs: Range<Int>,
                  into dst: UnsafeMutablePointer<UInt8>, dstStride: Int) {
    let lanes = table.lanes(channels: channels)
    let blocks = lanes.blocks, step = lanes.pixelsPerBlock * channels
    let top = SIMD4<Int32>(repeating: (Int32(1) << 30) - 1)
    for r in 0..<rows {
        let srcRow = src + r * srcStride
        var out = dst + r * dstStride
        for i in outputs {
            var p = srcRow + Int(table.first[i]) * channels
            var w = lanes.fixed + i * blocks
            var sum = SIMD16<Int32>()
            if channels == 3 {
                for _ in 0..<blocks {
                    sum &+= rgbx(p) &* w.pointee
                    p += step
                    w += 1
                }
                // R G B and a spare byte, which the next pixel overwrites.
                let rgb = (pixelSum(sum) &+ half).clamped(lowerBound: .zero, upperBound: top) &>> precisionBits
                UnsafeMutableRawPointer(out).storeBytes(of: SIMD4<UInt8>(truncatingIfNeeded: rgb), as: SIMD4<UInt8>.self)
            } else {
                for _ in 0..<blocks {
                    sum &+= bytes16(p) &* w.pointee
                    p += step
                    w += 1
                }
                out[0] = clip8(half &+ laneSum(sum))
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
