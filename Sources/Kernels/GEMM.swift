/// Single-precision matrix multiply, row-major:
///
///     C (M×N) = op(A) (M×K) · op(B) (K×N)          (accumulate == false)
///     C (M×N) += op(A) (M×K) · op(B) (K×N)         (accumulate == true)
///
/// `op(X)` is X, or Xᵀ when `transposeX` is set: A is stored (M×K) with row stride `lda`, or
/// (K×M) when transposed; B is stored (K×N) with row stride `ldb`, or (N×K) when transposed.
/// C has row stride `ldc` ≥ N. K = 0 sets C to 0 (or leaves it, when accumulating).
///
/// 8 × 32 register tiles (`MicroKernel`) sweep C, chunks of rows taken dynamically by
/// `Parallel.threadCount` threads, reading op(B) packed into 32-column panels (`PackedPanels`). Each element of C
/// is summed in the same order whatever the thread count, so results do not depend on it.
/// Safe to call from several threads at once (each call borrows its own packing buffer).
public func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false
) {
    gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
        c: c, ldc: ldc, accumulate: accumulate, epilogue: .none)
}

/// `gemm` followed by `epilogue` on every element of C (see `GEMMEpilogue`); with K = 0 C becomes
/// the epilogue of 0 (or of C, when accumulating).
public func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false, epilogue: GEMMEpilogue
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= max(1, transposeA ? m : k), "gemm: lda=\(lda) is smaller than a row of A")
    precondition(ldb >= max(1, transposeB ? k : n), "gemm: ldb=\(ldb) is smaller than a row of B")
    precondition(ldc >= max(1, n), "gemm: ldc=\(ldc) is smaller than a row of C (n=\(n))")
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        for i in 0..<m {
            let row = c + i * ldc
            for j in 0..<n {
                var value = (accumulate ? row[j] : 0) + (epilogue.bias?[j] ?? 0)
                if let distance = epilogue.residualDistance { value += (row + distance)[j] }
                row[j] = epilogue.clamp(value)
            }
        }
        return
    }
    // A 32-column row-major B (a convolution with 32 filters) is already one packed panel
    // (conv1 dW 27×32×37888: 146 → 193 GFLOP/s per CPU-second without packing).
    if !transposeB, n == MicroKernel.columns, ldb == n {
        multiply(
            transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, packed: b, c: c, ldc: ldc,
            first: TileEpilogue(add: accumulate, bias: epilogue.bias), last: epilogue)
        return
    }
    let passes = GEMMPasses(k: k, n: n)
    PackBufferPool.withBuffer(count: passes.largestFloats) { packed in
        passes.forEach { pass in
            packPanels(transposed: transposeB, k: pass.depth.count, n: pass.columns.count, b: pass.b(b, ldb: ldb, transposed: transposeB),
                       ldb: ldb, into: packed, parallel: m * pass.columns.count * pass.depth.count >= GEMMBlocking.parallelMinimum)
            pass.multiply(transposeA: transposeA, m: m, k: k, a: a, lda: lda, packed: packed, c: c, ldc: ldc,
                          accumulate: accumulate, epilogue: epilogue)
        }
    }
}

/// The passes `gemm` packs and multiplies op(B) (K×N) in, one at a time: passes of K rows small
/// enough that the packed pass stays in L2 while both threads sweep A past it, and, for very wide
/// B, passes of columns too; the pass depth is a whole number of K blocks. C's sums are added pass
/// by pass in this order, so any multiply by the same passes (`RetainedGEMMOperand`) gives
/// `gemm`'s result bit for bit.
struct GEMMPasses {
    struct Pass {
        /// Columns of op(B) and C, and rows of op(B) (columns of op(A)), of this pass.
        let columns: Range<Int>
        let depth: Range<Int>

        /// The pass's first element of B, stored (K×N) or, when `transposed`, (N×K).
        func b(_ b: UnsafePointer<Float>, ldb: Int, transposed: Bool) -> UnsafePointer<Float> {
            transposed ? b + columns.lowerBound * ldb + depth.lowerBound : b + depth.lowerBound * ldb + columns.lowerBound
        }

        /// C[:, columns] (+)= op(A)[:, depth] · the pass packed (`packPanels`), the bias with the
        /// first pass of K, `epilogue`'s residual and clamp with the last.
        func multiply(transposeA: Bool, m: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
                      c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, epilogue: GEMMEpilogue) {
            let first = depth.lowerBound == 0
                ? TileEpilogue(add: accumulate, bias: epilogue.bias.map { $0 + columns.lowerBound })
                : TileEpilogue(add: true)
            Kernels.multiply(
                transposeA: transposeA, m: m, n: columns.count, k: depth.count,
                a: transposeA ? a + depth.lowerBound * lda : a + depth.lowerBound, lda: lda,
                packed: packed, c: c + columns.lowerBound, ldc: ldc, first: first,
                last: depth.upperBound == k ? epilogue : .none)
        }
    }

    let k: Int, n: Int
    /// Rows of op(B) per depth pass and columns per column pass.
    let passDepth: Int, columnsPerPass: Int

    /// `whole`: one pass over all of op(B) (`gemm` multiplies a row-major 32-column B as it lies).
    init(k: Int, n: Int, whole: Bool = false) {
        let width = MicroKernel.columns
        let paddedN = PackedPanels.floatCount(depth: 1, columns: n)
        (self.k, self.n) = (k, n)
        passDepth = whole ? k : max(GEMMBlocking.maxDepth, GEMMBlocking.passFloats / paddedN / GEMMBlocking.maxDepth * GEMMBlocking.maxDepth)
        columnsPerPass = whole ? n : max(1, GEMMBlocking.passFloats / (min(k, passDepth) * width)) * width
    }

    /// The packed floats of the largest pass.
    var largestFloats: Int { PackedPanels.floatCount(depth: min(k, passDepth), columns: min(n, columnsPerPass)) }

    /// `body(pass)` for every pass in order: column passes outermost, then depth passes.
    func forEach(_ body: (Pass) -> Void) {
        for column0 in stride(from: 0, to: n, by: columnsPerPass) {
            for p0 in stride(from: 0, to: k, by: passDepth) {
                body(Pass(columns: column0..<min(n, column0 + columnsPerPass), depth: p0..<min(k, p0 + passDepth)))
            }
        }
    }
}

/// Packs op(B) (K×N) with `PackedPanels`, splitting the panels across threads when B is large
/// enough for the dispatch to pay and `parallel` (the multiply that follows is parallel too).
func packPanels(
    transposed: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
    into packed: UnsafeMutablePointer<Float>, parallel: Bool
) {
    let panels = PackedPanels.panelCount(columns: n)
    if parallel, panels > 1, k * n >= 1 << 16 {
        // Four panels per chunk (512 contiguous bytes of each row of a row-major B): each chunk
        // writes its own 4 × K × 32 floats.
        Parallel.forChunks(panels, chunkSize: 4) { _, range in
            PackedPanels.uncheckedPack(
                panels: range, transposed: transposed, k: k, n: n, b: b, ldb: ldb,
                into: packed + range.lowerBound * k * MicroKernel.columns)
        }
    } else {
        PackedPanels.uncheckedPack(panels: 0..<panels, transposed: transposed, k: k, n: n, b: b, ldb: ldb, into: packed)
    }
}

/// C (M×N) (+)= op(A) (M×K) · op(B) (K > 0), with op(B) packed by `PackedPanels`: the first K
/// block stores with `first` (add to C or not, bias), later ones add, the last adds `last`'s
/// residual and applies its clamp (`last.bias` is not used: the bias is `first`'s).
/// Rows of C are cut into chunks of whole 8-row tiles (`GEMMBlocking.tilesPerChunk`) that the
/// threads take dynamically; a chunk computes its rows of C completely (every K block, every
/// panel), so no element of C is summed by two threads. Does not validate its arguments.
func multiply(
    transposeA: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, first: TileEpilogue, last: GEMMEpilogue
) {
    // A(i, p) is at a[i * rowStride + p * depthStride].
    let source = StridedRows(a: a, rowStride: transposeA ? 1 : lda, depthStride: transposeA ? lda : 1)
    multiply(source, m: m, n: n, k: k, packed: packed, c: c, ldc: ldc, first: first, last: last)
}

/// `multiply` with A wherever `source` says it is.
func multiply<Source: TileSource>(
    _ source: Source, m: Int, n: Int, k: Int, packed: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, first: TileEpilogue, last: GEMMEpilogue
) {
    let tiles = (m + MicroKernel.rows - 1) / MicroKernel.rows
    // A nested function, not a closure in a `let`: that closure's context was allocated on the
    // heap at every call (~3,900 of the ~4,000 mallocs per training step of the reference CNN, from the
    // Winograd GEMMs).
    func work(_ range: Range<Int>) {
        multiplyTiles(range, source, m: m, n: n, k: k, packed: packed, c: c, ldc: ldc, first: first, last: last)
    }
    // One worker (one thread, or inside another parallel loop) takes every tile in one call, so
    // that each K block of B is loaded once for all of them, not once per chunk.
    if m * n * k < GEMMBlocking.parallelMinimum || Parallel.workers(for: tiles) == 1 {
        work(0..<tiles)
    } else {
        Parallel.forChunks(tiles, chunkSize: GEMMBlocking.tilesPerChunk(n: n, k: k)) { _, range in work(range) }
    }
}

/// Row tiles `tiles` of C (+)= op(A) · packed op(B): K blocks outermost (so a row tile's A slice and
/// an L2 block of panels stay cached), then L2 blocks of panels, row tiles, panels.
private func multiplyTiles<Source: TileSource>(
    _ tiles: Range<Int>, _ source: Source, m: Int, n: Int, k: Int, packed: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, first: TileEpilogue, last: GEMMEpilogue
) {
    let width = MicroKernel.columns, height = MicroKernel.rows
    let panels = PackedPanels.panelCount(columns: n)
    let blockDepth = GEMMBlocking.depth(k: k)
    withUnsafeTemporaryAllocation(of: DepthRun.self, capacity: source.maximumRuns(depth: blockDepth)) { runBuffer in
        var p0 = 0
        while p0 < k {
            let depth = min(blockDepth, k - p0)
            let runs = UnsafeBufferPointer(start: runBuffer.baseAddress!, count: source.runs(from: p0, depth: depth, into: runBuffer.baseAddress!))
            var epilogue = p0 == 0 ? first : TileEpilogue(add: true)
            // The last K block adds the residual and clamps: a ReLU alone in the micro-kernel's
            // store, anything else after the tile's store, from L1 (`finishTile`).
            let lastBlock = p0 + depth == k
            let residual = lastBlock ? last.residualDistance : nil
            let clampsInStore = lastBlock && residual == nil && last.clamp == .relu
            let finishes = lastBlock && (residual != nil || !(last.clamp.isNone || clampsInStore))
            if lastBlock { epilogue.relu = clampsInStore }
            var q0 = 0
            while q0 < panels {
                let q1 = min(q0 + GEMMBlocking.panels, panels)
                for tile in tiles {
                    let i0 = tile * height
                    let rows = min(height, m - i0)
                    let aTile = source.tileRows(i0, valid: rows)
                    for q in q0..<q1 {
                        let columns = min(width, n - q * width)
                        let panel = packed + q * k * width + p0 * width, cTile = c + i0 * ldc + q * width
                        let tileEpilogue = epilogue.shifted(by: q * width)
                        // A tile of ≤ 16 valid columns skips the multiply-adds of the zero half.
                        if columns > width / 2 {
                            MicroKernel.uncheckedTile(FullTile.self, a: aTile, runs: runs,
                                                      panel: panel, c: cTile, ldc: ldc, rows: rows, columns: columns, epilogue: tileEpilogue, depth: depth)
                        } else {
                            MicroKernel.uncheckedTile(HalfTile.self, a: aTile, runs: runs,
                                                      panel: panel, c: cTile, ldc: ldc, rows: rows, columns: columns, epilogue: tileEpilogue, depth: depth)
                        }
                        if finishes {
                            finishTile(cTile, ldc: ldc, rows: rows, columns: columns, residualDistance: residual, clamp: last.clamp)
                        }
                    }
                }
                q0 = q1
            }
            p0 += depth
        }
    }
}

/// C tile (rows × columns, row stride `ldc`) += the residual `residualDistance` floats from it
/// (when given), then `clamp`: the residual and the clamps other than a ReLU of `GEMMEpilogue`,
/// applied to a tile just stored (in L1) rather than in the micro-kernel's store, whose code the
/// residual slowed by 5–9% also where none is added (the reference CNN's training and
/// inference, alternated runs).
@inline(__always)
private func finishTile(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, residualDistance: Int?,
                        clamp: StoreClamp) {
    for r in 0..<rows {
        let row = c + r * ldc
        var j = 0
        while j + 16 <= columns {
            var value = UnsafeRawPointer(row + j).loadUnaligned(as: SIMD16<Float>.self)
            if let residualDistance { value += UnsafeRawPointer(row + residualDistance + j).loadUnaligned(as: SIMD16<Float>.self) }
            UnsafeMutableRawPointer(row + j).storeBytes(of: clamp(value), as: SIMD16<Float>.self)
            j += 16
        }
        while j < columns {
            row[j] = clamp(residualDistance.map { row[j] + row[$0 + j] } ?? row[j])
            j += 1
        }
    }
}
