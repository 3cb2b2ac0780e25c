/// Small vector helpers for the layer kernels: contiguous float runs, SIMD16 with a scalar tail.

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

/// dst[i] = src[i] for i in 0..<count. Runs up to 256 floats (im2col rows are 9 to 192 floats
/// in the reference CNN, bias rows 32 to 128) are copied inline: memmove's call and dispatch
/// cost more than the copy at these sizes.
@inline(__always)
func copyFloats(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    guard count <= 256 else {
        dst.update(from: src, count: count)
        return
    }
    var i = 0
    while i &+ 16 <= count {
        store16(load16(src + i), dst + i)
        i &+= 16
    }
    while i < count {
        dst[i] = src[i]
        i &+= 1
    }
}

/// dst[i] += src[i] for i in 0..<count.
@inline(__always)
func addVector(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i &+ 16 <= count {
        store16(load16(src + i) + load16(dst + i), dst + i)
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
        store16(load16(dst + i).addingProduct(load16(src + i), scale), dst + i)
        i &+= 16
    }
    while i < count {
        dst[i] += scale * src[i]
        i &+= 1
    }
}

/// Fills each of `rows` rows of `width` floats with `row` (e.g. a bias before an accumulating GEMM).
func broadcastRows(_ row: UnsafePointer<Float>, width: Int, rows: Int, into dst: UnsafeMutablePointer<Float>) {
    for r in 0..<rows { copyFloats(row, to: dst + r &* width, count: width) }
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
