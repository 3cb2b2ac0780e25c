// The two float32 passes of the network-input path: the same weights as the 8-bit passes
// (`AxisWeights.weights`), no rounding between or after the passes.
//
// Legend: C = channels (1 or 3); a row is W·C interleaved values; strides are in elements.
// Unchecked: callers guarantee that every `first[i] + taps` lies inside the source.

/// Horizontal pass from bytes to floats: dst[r, o, c] = Σ_k weight[i, k] · src[r, first[i] + k, c]
/// for o in 0..<outputs.count, i = outputs.lowerBound + o, in `LaneWeights` blocks. At least 16
/// readable bytes must follow the last source row, and 1 writable float the last output.
func resampleRows(_ src: UnsafePointer<UInt8>, srcStride: Int, rows: Int, channels: Int,
                  _ table: AxisWeights, outputs: Range<Int>,
                  into dst: UnsafeMutablePointer<Float>, dstStride: Int) {
    let lanes = table.lanes(channels: channels)
    let blocks = lanes.blocks, step = lanes.pixelsPerBlock * channels
    for r in 0..<rows {
        let srcRow = src + r * srcStride
        var out = dst + r * dstStride
        for i in outputs {
            var p = srcRow + Int(table.first[i]) * channels
            var w = lanes.weights + i * blocks
            var sum = SIMD16<Float>()
            if channels == 3 {
                for _ in 0..<blocks {
                    sum.addProduct(SIMD16<Float>(rgbx(p)), w.pointee)
                    p += step
                    w += 1
                }
                UnsafeMutableRawPointer(out).storeBytes(of: pixelSum(sum), as: SIMD4<Float>.self)
            } else {
                for _ in 0..<blocks {
                    sum.addProduct(SIMD16<Float>(bytes16(p)), w.pointee)
                    p += step
                    w += 1
                }
                out[0] = laneSum(sum)
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
