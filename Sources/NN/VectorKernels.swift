/// Small vector helpers for the layer kernels: contiguous float runs, SIMD16 with a scalar tail.

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self) }

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

/// sums[c] = Σ_r x[r·width + c] over `rows` rows (bias gradients).
func columnSums(_ x: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>, scratch: Scratch) {
    let loop = columnSumsLoop(x, rows: rows, width: width, scratch: scratch)
    scratch.run(loop)
    scratch.sumPartials(chunks: loop.chunks, width: width, into: sums)
}

/// sums[c] = Σ_{r < rows} f(r·width + c, c) for every column c < width, where `f16(at, c)` gives
/// f at 16 consecutive columns starting at c and `f(at, c)` one value (for the last width mod 16
/// columns). Rows are summed in Float SIMD16 over fixed blocks of 64 rows (one vector add per 16
/// values); the blocks are cut into `Scratch.sumChunks` fixed chunks of consecutive blocks, each
/// chunk's block sums are added in order into its own Double partial (the workers take chunks
/// dynamically), and the partials are added in order: as accurate as an all-Double sum to Float
/// rounding, and the same chunks and order whatever the thread count or timing, so the same
/// result on 1 or 2 threads.
@inline(__always)
func sumPerColumn(rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>, scratch: Scratch,
                  _ f16: (_ at: Int, _ column: Int) -> SIMD16<Float>, _ f: (_ at: Int, _ column: Int) -> Float) {
    let chunks = columnSumChunks(rows: rows, width: width, scratch: scratch)
    scratch.forChunks(chunks) { _, chunk in sumColumns(chunk: chunk, of: chunks, rows: rows, width: width, scratch: scratch, f16, f) }
    scratch.sumPartials(chunks: chunks, width: width, into: sums)
}

/// `columnSums`' chunks as a loop to run with others (`Scratch.run`); `scratch.sumPartials(chunks:
/// loop.chunks, width: width, into: sums)` then gives the sums.
func columnSumsLoop(_ x: UnsafePointer<Float>, rows: Int, width: Int, scratch: Scratch) -> ChunkedLoop {
    let chunks = columnSumChunks(rows: rows, width: width, scratch: scratch)
    return ChunkedLoop(chunks: chunks) { _, chunk in
        sumColumns(chunk: chunk, of: chunks, rows: rows, width: width, scratch: scratch, { at, _ in load16(x + at) }, { at, _ in x[at] })
    }
}

/// The chunks `sumPerColumn` cuts `rows` rows into: one per block of 64 rows, at most `Scratch.sumChunks`.
private func columnSumChunks(rows: Int, width: Int, scratch: Scratch) -> Int {
    precondition(width <= scratch.partialWidth, "sumPerColumn: \(width) columns exceed the scratch width \(scratch.partialWidth)")
    return min((rows + sumBlockRows - 1) / sumBlockRows, Scratch.sumChunks)
}

/// Rows per block of `sumPerColumn`.
private let sumBlockRows = 64

/// Chunk `chunk` of `chunks` of `sumPerColumn`: its blocks' sums, into its Double partial.
@inline(__always)
private func sumColumns(chunk: Int, of chunks: Int, rows: Int, width: Int, scratch: Scratch,
                        _ f16: (_ at: Int, _ column: Int) -> SIMD16<Float>, _ f: (_ at: Int, _ column: Int) -> Float) {
    let blocks = (rows + sumBlockRows - 1) / sumBlockRows, vectors = width / 16
    let acc = scratch.partials + chunk &* scratch.partialWidth
    acc.update(repeating: 0, count: width)
    withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: max(1, vectors)) { block in
        for b in blocks * chunk / chunks..<blocks * (chunk + 1) / chunks {
            block.initialize(repeating: .zero)
            for r in b &* sumBlockRows..<min(rows, (b &+ 1) &* sumBlockRows) {
                let row = r &* width
                for v in 0..<vectors { block[v] += f16(row &+ 16 &* v, 16 &* v) }
                for c in vectors &* 16..<width { acc[c] += Double(f(row &+ c, c)) }
            }
            for v in 0..<vectors {
                for lane in 0..<16 { acc[16 &* v &+ lane] += Double(block[v][lane]) }
            }
        }
    }
}
