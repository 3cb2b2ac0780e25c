/// Small vector helpers for the layer kernels: contiguous float runs, SIMD16 with a scalar tail.

/// dst[i] += src[i] for i in 0..<count.
@inline(__always)
func addVector(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 16 <= count {
        let sum = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self)
            + UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: SIMD16<Float>.self)
        i &+= 16
    }
    while i < count {
        dst[i] += src[i]
        i &+= 1
    }
}

/// dst[i] += scale · src[i] for i in 0..<count.
@inline(__always)
func addScaledVector(_ src: UnsafePointer<Float>, scale: Float, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 16 <= count {
        let sum = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD16<Float>.self)
            .addingProduct(UnsafeRawPointer(src + i).loadUnaligned(as: SIMD16<Float>.self), scale)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: sum, as: SIMD16<Float>.self)
        i &+= 16
    }
    while i < count {
        dst[i] += scale * src[i]
        i &+= 1
    }
}

/// Fills each of `rows` rows of `width` floats with `row` (e.g. a bias before an accumulating GEMM).
func broadcastRows(_ row: UnsafePointer<Float>, width: Int, rows: Int, into dst: UnsafeMutablePointer<Float>) {
    for r in 0..<rows { (dst + r &* width).update(from: row, count: width) }
}

/// sums[c] = Σ_r x[r·width + c] over `rows` rows (bias gradients), in Double per thread.
func columnSums(_ x: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>, scratch: Scratch) {
    precondition(width <= scratch.partialWidth, "columnSums: \(width) columns exceed the scratch width \(scratch.partialWidth)")
    let parts = scratch.parts(rows)
    scratch.forParts(rows) { part, range in
        let acc = scratch.partials + part * scratch.partialWidth
        acc.update(repeating: 0, count: width)
        for r in range {
            let row = x + r &* width
            for c in 0..<width { acc[c] += Double(row[c]) }
        }
    }
    scratch.sumPartials(parts: parts, width: width, into: sums)
}
