/// Single-precision matrix multiply, row-major:
///
///     C (M×N) = op(A) (M×K) · op(B) (K×N)          (accumulate == false)
///     C (M×N) += op(A) (M×K) · op(B) (K×N)         (accumulate == true)
///
/// `op(X)` is X, or Xᵀ when `transposeX` is set: A is stored (M×K) with row stride `lda`, or
/// (K×M) when transposed; B is stored (K×N) with row stride `ldb`, or (N×K) when transposed.
/// C has row stride `ldc` ≥ N. K = 0 sets C to 0 (or leaves it, when accumulating).
///
/// 8 × 32 register tiles (`MicroKernel`) sweep C with rows split across `Parallel.threadCount`
/// threads, reading op(B) packed into 32-column panels (`PackedPanels`). Each element of C is summed in the same order
/// whatever the thread count, so results do not depend on it. Safe to call from several threads
/// at once (each call borrows its own packing buffer).
public func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= max(1, transposeA ? m : k), "gemm: lda=\(lda) is smaller than a row of A")
    precondition(ldb >= max(1, transposeB ? k : n), "gemm: ldb=\(ldb) is smaller than a row of B")
    precondition(ldc >= max(1, n), "gemm: ldc=\(ldc) is smaller than a row of C (n=\(n))")
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    let width = MicroKernel.columns
    // Columns per pass, so that the packed panels of one pass stay below `GEMMBlocking.packLimit`
    // floats; CNN and benchmark shapes take a single pass.
    let columnsPerPass = max(1, GEMMBlocking.packLimit / (k * width)) * width
    var column0 = 0
    while column0 < n {
        let passWidth = min(columnsPerPass, n - column0)
        let bPass = transposeB ? b + column0 * ldb : b + column0
        PackBufferPool.withBuffer(count: PackedPanels.floatCount(depth: k, columns: passWidth)) { packed in
            packPanels(transposed: transposeB, k: k, n: passWidth, b: bPass, ldb: ldb, into: packed, m: m)
            multiply(
                transposeA: transposeA, m: m, n: passWidth, k: k, a: a, lda: lda,
                packed: packed, c: c + column0, ldc: ldc, accumulate: accumulate)
        }
        column0 += passWidth
    }
}

/// Cache blocking of the multiply (measured on Zen 5: 48 KB L1D, 1 MB L2 per core).
enum GEMMBlocking {
    /// The deepest K block: K is cut into equal blocks no deeper than this, so that a block of
    /// one panel (≤ 48 KB) and 8 rows of A (≤ 12 KB) stay in L1/L2 while a tile is computed.
    /// 384 keeps a 3×3×32 convolution's K = 288 whole (cutting it 256 + 32 cost 5–10%).
    static let maxDepth = 384
    /// Panels per L2 block: 8 panels × 384 deep × 128 B = 384 KB of B reused by every row tile.
    static let panels = 8
    /// The most floats packed per pass (16 MB).
    static let packLimit = 1 << 22
    /// Below this many multiply-adds one thread is faster than a parallel dispatch.
    static let parallelMinimum = 1 << 20

    /// Depth of each K block: K split into ⌈K / maxDepth⌉ equal blocks (288 stays whole, 576 → 2 × 288).
    static func depth(k: Int) -> Int {
        let blocks = (k + maxDepth - 1) / maxDepth
        return (k + blocks - 1) / blocks
    }
}

/// Packs op(B) (K×N) with `PackedPanels`, splitting the panels across threads when B is large
/// enough for the dispatch to pay (`m` only decides whether the multiply itself is parallel).
func packPanels(
    transposed: Bool, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
    into packed: UnsafeMutablePointer<Float>, m: Int
) {
    let panels = PackedPanels.panelCount(columns: n)
    if panels > 1, k * n >= 1 << 16, m * n * k >= GEMMBlocking.parallelMinimum {
        Parallel.forRanges(panels) { range in
            PackedPanels.uncheckedPack(
                panels: range, transposed: transposed, k: k, n: n, b: b, ldb: ldb,
                into: packed + range.lowerBound * k * MicroKernel.columns)
        }
    } else {
        PackedPanels.uncheckedPack(panels: 0..<panels, transposed: transposed, k: k, n: n, b: b, ldb: ldb, into: packed)
    }
}

/// C (M×N) (+)= op(A) (M×K) · op(B) (K > 0), with op(B) packed by `PackedPanels`. Rows of C are
/// split across threads in whole 8-row tiles. Does not validate its arguments.
func multiply(
    transposeA: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    let tiles = (m + MicroKernel.rows - 1) / MicroKernel.rows
    let work = { (range: Range<Int>) in
        multiplyTiles(range, transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, packed: packed, c: c, ldc: ldc, accumulate: accumulate)
    }
    if m * n * k < GEMMBlocking.parallelMinimum {
        work(0..<tiles)
    } else {
        Parallel.forRanges(tiles, work)
    }
}

/// Row tiles `tiles` of C (+)= op(A) · packed op(B): K blocks outermost (so a row tile's A slice and
/// an L2 block of panels stay cached), then L2 blocks of panels, row tiles, panels.
private func multiplyTiles(
    _ tiles: Range<Int>, transposeA: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int, packed: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    let width = MicroKernel.columns, height = MicroKernel.rows
    let panels = PackedPanels.panelCount(columns: n)
    // A(i, p) is at a[i * rowStride + p * depthStride].
    let rowStride = transposeA ? 1 : lda, depthStride = transposeA ? lda : 1
    let blockDepth = GEMMBlocking.depth(k: k)
    var p0 = 0
    while p0 < k {
        let depth = min(blockDepth, k - p0)
        let add = accumulate || p0 > 0
        var q0 = 0
        while q0 < panels {
            let q1 = min(q0 + GEMMBlocking.panels, panels)
            for tile in tiles {
                let i0 = tile * height
                let aTile = a + i0 * rowStride + p0 * depthStride
                for q in q0..<q1 {
                    MicroKernel.uncheckedTile(
                        depth: depth, a: aTile, rowStride: rowStride, depthStride: depthStride,
                        panel: packed + q * k * width + p0 * width,
                        c: c + i0 * ldc + q * width, ldc: ldc,
                        rows: min(height, m - i0), columns: min(width, n - q * width), add: add)
                }
            }
            q0 = q1
        }
        p0 += depth
    }
}

