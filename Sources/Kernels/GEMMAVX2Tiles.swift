// The micro-kernel's tile parts for targets without AVX-512 (see Package.swift, `targetHasAVX512`).
// All unsafe pointer arithmetic here reads a packed panel and A's rows as `MicroKernel` does.

extension MicroKernel {
    /// Calls `body(offset)` for each step of the depth, in order: the offsets of A's elements in
    /// its rows (`DepthRun`). A run of step 1 (a row-major A, a convolution's windows) is a loop
    /// whose step is a constant, so the compiler unrolls it with fixed displacements from the row
    /// pointers; a loop with the step in a register held one more register than AVX2's tile
    /// parts had and spilled row pointers to the stack (`perf annotate`). Paired in one process
    /// (a temporary flag, 2026-12-02), the constant step made one-thread inference of the
    /// reference CNN 11–18% faster at 16–128 px and a training step 6% (docs/kernels.md).
    @inline(__always)
    static func forEachDepthStep(_ runs: UnsafeBufferPointer<DepthRun>, _ body: (_ offset: Int) -> Void) {
        for run in runs {
            if run.step == 1 {
                for offset in run.start..<run.start + run.count { body(offset) }
            } else {
                var offset = run.start
                for _ in 0..<run.count {
                    body(offset)
                    offset &+= run.step
                }
            }
        }
    }

    /// One quarter of the 8 × 32 tile: 4 rows × 16 columns of C from 8 `SIMD8<Float>`
    /// accumulators (one 256-bit register each), fed per step of the depth by 4 broadcast A
    /// elements and 2 B vectors — 11 of AVX2's 16 vector registers, where the 8 × 32 tile's 16
    /// `SIMD16` accumulators need 32 and spilled (`bench gemm` 512³: 32 GFLOP/s on one Zen 3
    /// core, a third of its FMA peak). Eight independent accumulators cover the FMA latency of two
    /// pipes (4 cycles on Zen 3).
    ///
    ///     C[i][j] (+)= bias[j] + Σ_{p < kc} A(i, p) · panel[p][j]      then max(0, ·) if relu
    ///
    /// for i < `rows` (≤ 4), j < `columns` (≤ 16); `a` holds the quarter's 4 row pointers (rows
    /// past `rows` repeat a valid row, computed and never stored), `panel` the quarter's first
    /// column in a packed panel (rows 32 floats apart), `runs` the depth as in `uncheckedTile`.
    @inline(__always)
    static func quarterTile(
        a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        runs: UnsafeBufferPointer<DepthRun>, panel: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, epilogue: TileEpilogue
    ) {
        let (a0, a1, a2, a3) = a
        let (low, high) = epilogue.bias.map { loadHalfRow($0, columns: columns) } ?? (SIMD8<Float>(), SIMD8<Float>())
        var c00 = low, c01 = high, c10 = low, c11 = high, c20 = low, c21 = high, c30 = low, c31 = high
        var b = UnsafeRawPointer(panel)
        forEachDepthStep(runs) { offset in
            let b0 = b.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var s = SIMD8<Float>(repeating: a0[offset])
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a1[offset])
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a2[offset])
            c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a3[offset])
            c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
            b += 4 * MicroKernel.columns
        }
        storeHalfRow(c00, c01, to: c, columns: columns, epilogue)
        if rows > 1 { storeHalfRow(c10, c11, to: c + ldc, columns: columns, epilogue) }
        if rows > 2 { storeHalfRow(c20, c21, to: c + 2 * ldc, columns: columns, epilogue) }
        if rows > 3 { storeHalfRow(c30, c31, to: c + 3 * ldc, columns: columns, epilogue) }
    }

    /// Rows 0–5 × 16 columns of the tile: 12 `SIMD8<Float>` accumulators, fed per step by 6
    /// broadcast A elements and 2 B vectors (15 of AVX2's 16 registers). Same sums as `quarterTile`.
    /// Not inlined, nor is `twoRowTile`: with three parts inlined into one tile, Swift stopped
    /// inlining `loadUnaligned` in them and the GEMM ran at half speed (docs/kernels.md).
    @inline(never)
    static func sixRowTile(
        a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        runs: UnsafeBufferPointer<DepthRun>, panel: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, epilogue: TileEpilogue
    ) {
        let (a0, a1, a2, a3, a4, a5) = a
        let (low, high) = epilogue.bias.map { loadHalfRow($0, columns: columns) } ?? (SIMD8<Float>(), SIMD8<Float>())
        var c00 = low, c01 = high, c10 = low, c11 = high, c20 = low, c21 = high
        var c30 = low, c31 = high, c40 = low, c41 = high, c50 = low, c51 = high
        var b = UnsafeRawPointer(panel)
        forEachDepthStep(runs) { offset in
            let b0 = b.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            var s = SIMD8<Float>(repeating: a0[offset])
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a1[offset])
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a2[offset])
            c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a3[offset])
            c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a4[offset])
            c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
            s = SIMD8<Float>(repeating: a5[offset])
            c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
            b += 4 * MicroKernel.columns
        }
        storeHalfRow(c00, c01, to: c, columns: columns, epilogue)
        if rows > 1 { storeHalfRow(c10, c11, to: c + ldc, columns: columns, epilogue) }
        if rows > 2 { storeHalfRow(c20, c21, to: c + 2 * ldc, columns: columns, epilogue) }
        if rows > 3 { storeHalfRow(c30, c31, to: c + 3 * ldc, columns: columns, epilogue) }
        if rows > 4 { storeHalfRow(c40, c41, to: c + 4 * ldc, columns: columns, epilogue) }
        if rows > 5 { storeHalfRow(c50, c51, to: c + 5 * ldc, columns: columns, epilogue) }
    }

    /// Rows 6–7 of a full-width tile (`columns` 17–32: the first 16 are valid, the rest of the
    /// panel is zero padding): 8 accumulators, 2 broadcasts and 4 B vectors per step. Same sums
    /// as `quarterTile`.
    @inline(never)
    static func twoRowTile(
        a: (UnsafePointer<Float>, UnsafePointer<Float>),
        runs: UnsafeBufferPointer<DepthRun>, panel: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int, epilogue: TileEpilogue
    ) {
        let (a0, a1) = a
        let half = MicroKernel.columns / 2, right = columns - half
        let (l0, l1) = epilogue.bias.map { loadHalfRow($0, columns: half) } ?? (SIMD8<Float>(), SIMD8<Float>())
        let (r0, r1) = epilogue.bias.map { loadHalfRow($0 + half, columns: right) } ?? (SIMD8<Float>(), SIMD8<Float>())
        var c00 = l0, c01 = l1, c02 = r0, c03 = r1, c10 = l0, c11 = l1, c12 = r0, c13 = r1
        var b = UnsafeRawPointer(panel)
        forEachDepthStep(runs) { offset in
            let b0 = b.loadUnaligned(as: SIMD8<Float>.self)
            let b1 = b.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let b2 = b.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let b3 = b.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            var s = SIMD8<Float>(repeating: a0[offset])
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            c02 = c02.addingProduct(s, b2); c03 = c03.addingProduct(s, b3)
            s = SIMD8<Float>(repeating: a1[offset])
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            c12 = c12.addingProduct(s, b2); c13 = c13.addingProduct(s, b3)
            b += 4 * MicroKernel.columns
        }
        storeHalfRow(c00, c01, to: c, columns: half, epilogue)
        storeHalfRow(c02, c03, to: c + half, columns: right, epilogue)
        if rows > 1 {
            storeHalfRow(c10, c11, to: c + ldc, columns: half, epilogue)
            storeHalfRow(c12, c13, to: c + ldc + half, columns: right, epilogue)
        }
    }

    /// Floats 0..<columns (≤ 16) of `row` as two vectors, zero past `columns`; no alignment needed.
    /// `MicroKernel.loadRow`/`storeRow` for 8 lanes. One generic pair for both widths was tried:
    /// its SIMD8 `storeRow` was not inlined (15% of an imported ResNet-18's inference in `perf`,
    /// 20.6–23.2 → 13.9–19.1 img/s, alternated runs), so each width keeps its own.
    @inline(__always)
    private static func loadHalfRow(_ row: UnsafePointer<Float>, columns: Int) -> (SIMD8<Float>, SIMD8<Float>) {
        let raw = UnsafeRawPointer(row)
        if columns == 16 { return (raw.loadUnaligned(as: SIMD8<Float>.self), raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)) }
        var low = SIMD8<Float>(), high = SIMD8<Float>()
        for j in 0..<columns {
            if j < 8 { low[j] = row[j] } else { high[j - 8] = row[j] }
        }
        return (low, high)
    }

    /// c[0..<columns] = (c if add) + (low ++ high), then max(0, ·) if relu; no alignment needed.
    @inline(__always)
    private static func storeHalfRow(
        _ low: SIMD8<Float>, _ high: SIMD8<Float>, to c: UnsafeMutablePointer<Float>, columns: Int, _ epilogue: TileEpilogue
    ) {
        var (low, high) = (low, high)
        if epilogue.add {
            let (oldLow, oldHigh) = loadHalfRow(c, columns: columns)
            low += oldLow
            high += oldHigh
        }
        if epilogue.relu {
            low.replace(with: 0, where: low .< 0)
            high.replace(with: 0, where: high .< 0)
        }
        if columns == 16 {
            let raw = UnsafeMutableRawPointer(c)
            raw.storeBytes(of: low, as: SIMD8<Float>.self)
            raw.storeBytes(of: high, toByteOffset: 32, as: SIMD8<Float>.self)
        } else {
            for j in 0..<columns { c[j] = j < 8 ? low[j] : high[j - 8] }
        }
    }
}
