/// op(B) (K×N) packed once into `PackedPanels`, whole (no passes), to multiply many row blocks of
/// A by it: a convolution multiplies each im2col block by the same weights, and packing them per
/// block would cost as much as a small block's multiply.
public struct PackedMatrix {
    let panels: UnsafePointer<Float>
    /// K: rows of op(B).
    public let depth: Int
    /// N: columns of op(B).
    public let columns: Int

    /// C (m×N) (+)= op(A) (m×K) · op(B), then `epilogue` (see `gemm`). A is stored (m×K) with
    /// row stride `lda`, or (K×m) when `transposeA`. Runs on the calling thread when called from
    /// inside a `Parallel` loop, else splits its rows across the threads.
    public func multiply(
        transposeA: Bool = false, m: Int, a: UnsafePointer<Float>, lda: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool = false, epilogue: GEMMEpilogue = .none
    ) {
        precondition(m >= 0 && lda >= max(1, transposeA ? m : depth) && ldc >= max(1, columns),
                     "PackedMatrix.multiply: m=\(m) lda=\(lda) ldc=\(ldc) for K=\(depth) N=\(columns)")
        guard m > 0 else { return }
        Kernels.multiply(
            transposeA: transposeA, m: m, n: columns, k: depth, a: a, lda: lda, packed: panels, c: c, ldc: ldc,
            first: TileEpilogue(add: accumulate, bias: epilogue.bias), last: epilogue)
    }
}

extension PackedMatrix {
    /// C (m×N) = A (m×K) · op(B), then `epilogue`, with A a convolution's im2col matrix read in
    /// place (`WindowRows`, K = taps × channels): the same sums in the same order as `multiply`
    /// on the matrix written out, so the same result bit for bit. Runs on the calling thread
    /// inside a `Parallel` loop, else splits its rows across the threads.
    public func multiply(windows: WindowRows, m: Int, c: UnsafeMutablePointer<Float>, ldc: Int, epilogue: GEMMEpilogue = .none) {
        precondition(m >= 0 && windows.taps * windows.channels == depth && ldc >= max(1, columns),
                     "PackedMatrix.multiply(windows:): m=\(m) taps=\(windows.taps) channels=\(windows.channels) ldc=\(ldc) for K=\(depth) N=\(columns)")
        guard m > 0 else { return }
        Kernels.multiply(windows, m: m, n: columns, k: depth, packed: panels, c: c, ldc: ldc,
                         first: TileEpilogue(add: false, bias: epilogue.bias), last: epilogue)
    }
}

/// Packs op(B) (K×N, K ≥ 1) — B stored (K×N) with row stride `ldb`, or (N×K) when `transposed` —
/// into a buffer borrowed for the duration of `body`, and runs `body` with it.
public func withPackedMatrix<R>(
    transposed: Bool = false, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, _ body: (PackedMatrix) -> R
) -> R {
    precondition(k >= 1 && n >= 1 && ldb >= (transposed ? k : n), "withPackedMatrix: k=\(k) n=\(n) ldb=\(ldb)")
    return PackBufferPool.withBuffer(count: PackedPanels.floatCount(depth: k, columns: n)) { packed in
        packPanels(transposed: transposed, k: k, n: n, b: b, ldb: ldb, into: packed, parallel: true)
        return body(PackedMatrix(panels: packed, depth: k, columns: n))
    }
}

/// Packs `count` matrices B_i (K×N, K ≥ 1, row stride `ldb`, B_i at b + i·`stride`) into one
/// buffer borrowed for the duration of `body`, one matrix per chunk across the threads, and runs
/// `body` with them: for weights packed anew at every training step (Winograd's 16 U_ξ), which
/// thus reuse the pool's buffer instead of allocating and faulting in fresh pages each step.
public func withPackedMatrices<R>(
    count: Int, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, stride: Int, _ body: ([PackedMatrix]) -> R
) -> R {
    precondition(count >= 1 && k >= 1 && n >= 1 && ldb >= n, "withPackedMatrices: count=\(count) k=\(k) n=\(n) ldb=\(ldb)")
    let each = PackedPanels.floatCount(depth: k, columns: n)
    return PackBufferPool.withBuffer(count: count * each) { packed in
        Parallel.forChunks(count) { _, i in
            packPanels(transposed: false, k: k, n: n, b: b + i * stride, ldb: ldb, into: packed + i * each, parallel: false)
        }
        return body((0..<count).map { PackedMatrix(panels: packed + $0 * each, depth: k, columns: n) })
    }
}

/// Runs `body` with at least `count` floats (uninitialized) borrowed from the pool the GEMM's
/// packing uses, kept from call to call.
public func withPooledFloats<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    PackBufferPool.withBuffer(count: count, body)
}

/// op(B) packed once and kept until this object goes: for weights that many calls multiply by
/// without changing them (a model's convolutions during one `predict`), so that each call does
/// not pack them again.
public final class RetainedPackedMatrix: @unchecked Sendable {
    private let buffer: PackBuffer
    /// The packed op(B); valid while this object lives.
    public let matrix: PackedMatrix

    /// Packs op(B) (K×N, K ≥ 1): B stored (K×N) with row stride `ldb`, or (N×K) when `transposed`.
    public init(transposed: Bool = false, k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int) {
        precondition(k >= 1 && n >= 1 && ldb >= (transposed ? k : n), "RetainedPackedMatrix: k=\(k) n=\(n) ldb=\(ldb)")
        buffer = PackBuffer(capacity: PackedPanels.floatCount(depth: k, columns: n))
        packPanels(transposed: transposed, k: k, n: n, b: b, ldb: ldb, into: buffer.pointer, parallel: true)
        matrix = PackedMatrix(panels: buffer.pointer, depth: k, columns: n)
    }
}

/// op(B) (K×N) packed once in `gemm`'s passes (`GEMMPasses`) and kept until this object goes: a
/// dense layer's weights during one `predict`, which `gemm` would pack again for every chunk
/// (MobileNetV2's 1280×1000 classifier: 1.3 M floats per chunk of 6 images). `multiply` gives
/// `gemm`'s result bit for bit: the same passes, packed the same way, summed in the same order.
public final class RetainedGEMMOperand: @unchecked Sendable {
    private let buffer: PackBuffer
    /// Each pass and where its panels start in `buffer`.
    private let passes: [(pass: GEMMPasses.Pass, offset: Int)]
    /// K: rows of op(B).
    public let depth: Int
    /// N: columns of op(B).
    public let columns: Int

    /// Packs B (K×N, row stride `ldb`; K, N ≥ 1).
    public init(k: Int, n: Int, b: UnsafePointer<Float>, ldb: Int) {
        precondition(k >= 1 && n >= 1 && ldb >= n, "RetainedGEMMOperand: k=\(k) n=\(n) ldb=\(ldb)")
        var passes: [(pass: GEMMPasses.Pass, offset: Int)] = [], floats = 0
        GEMMPasses(k: k, n: n, whole: n == MicroKernel.columns && ldb == n).forEach { pass in
            passes.append((pass, floats))
            floats += PackedPanels.floatCount(depth: pass.depth.count, columns: pass.columns.count)
        }
        buffer = PackBuffer(capacity: floats)
        for (pass, offset) in passes {
            packPanels(transposed: false, k: pass.depth.count, n: pass.columns.count, b: pass.b(b, ldb: ldb, transposed: false),
                       ldb: ldb, into: buffer.pointer + offset, parallel: true)
        }
        self.passes = passes
        (depth, columns) = (k, n)
    }

    /// C (m×N) (+)= A (m×K, row stride `lda`) · B, as `gemm(m:n:k:a:lda:b:ldb:c:ldc:accumulate:)`.
    public func multiply(m: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        precondition(m >= 0 && lda >= depth && ldc >= columns, "RetainedGEMMOperand.multiply: m=\(m) lda=\(lda) ldc=\(ldc) for K=\(depth) N=\(columns)")
        guard m > 0 else { return }
        for (pass, offset) in passes {
            pass.multiply(transposeA: false, m: m, k: depth, a: a, lda: lda, packed: buffer.pointer + offset, c: c, ldc: ldc,
                          accumulate: accumulate, epilogue: .none)
        }
    }
}

/// C (K×N) (+)= colsᵀ · B for a convolution's weight gradient, with cols the im2col matrix of
/// `windows.rowOffsets`' `pixels` windows read in place (`TransposedWindowRows`, K = taps ×
/// channels, never written out) and B (pixels × N) stored with row stride `ldb` (dy). B is
/// packed on the calling thread (used as it is when it is one 32-column panel), and the multiply
/// runs there too inside a `Parallel` loop, else across the threads. `accumulate`: add to C.
public func multiplyTransposed(
    windows: WindowRows, pixels: Int, n: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
    let m = windows.taps * windows.channels
    precondition(pixels >= 1 && n >= 1 && ldb >= n && ldc >= n,
                 "multiplyTransposed(windows:): pixels=\(pixels) n=\(n) ldb=\(ldb) ldc=\(ldc)")
    let source = TransposedWindowRows(windows: windows)
    let first = TileEpilogue(add: accumulate)
    if n == MicroKernel.columns, ldb == n {
        multiply(source, m: m, n: n, k: pixels, packed: b, c: c, ldc: ldc, first: first, last: .none)
        return
    }
    PackBufferPool.withBuffer(count: PackedPanels.floatCount(depth: pixels, columns: n)) { packed in
        packPanels(transposed: false, k: pixels, n: n, b: b, ldb: ldb, into: packed, parallel: false)
        multiply(source, m: m, n: n, k: pixels, packed: packed, c: c, ldc: ldc, first: first, last: .none)
    }
}
