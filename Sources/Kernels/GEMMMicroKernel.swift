// The GEMM register tile. Legend: MR = 8 rows, NR = 32 columns (2 × SIMD16), kc = depth of
// one K block. All unsafe pointer arithmetic of the multiply lives in this file and in
// PackedPanels.swift.

/// The 8 × 32 register-tile kernel: 16 `SIMD16<Float>` accumulators (8 rows × 2 halves), fed by
/// one broadcast A element and two B vectors per step of the depth.
enum MicroKernel {
    /// Rows of C per tile (MR).
    static let rows = 8
    /// Columns of C per tile (NR): two `SIMD16<Float>`, one 128-byte row of a packed panel.
    static let columns = 32
    /// The shallowest K block that AVX2 builds cut into 6-row parts rather than quarters: on the
    /// Zen 3 the 6 × 16 parts (12 FMA chains, 8 loads per 12 FMAs against 6 per 8) trained the
    /// reference CNN 6–12% faster, while on blocks of 32 or 64 (Winograd's GEMMs at depth C) they
    /// were no faster than quarters (docs/kernels.md, "The AVX2 tile").
    static let sixRowMinimumDepth = 96

    /// C tile (rows × columns, row stride `ldc`) = (or +=, when `epilogue.add`) A tile · B panel:
    ///
    ///     C[i][j] (+)= bias[j] + Σ_{p < kc} A(i, p) · panel[p][j]      then max(0, ·) if relu
    ///
    /// - `a`: where A's rows are (`TileRows`, one pointer per row) and `runs`, the K block's depth
    ///   in runs (`DepthRun`): A(i, p) for the p of one run is at `a.row(i)[start + t * step]`,
    ///   t = 0 ..< count, the runs in order covering kc = Σ count. Row-major A is one run with
    ///   step 1, transposed storage one run with step lda, a convolution's windows read in place
    ///   one run per tap (`WindowRows`): all are broadcast straight from the caller's memory,
    ///   nothing is packed.
    /// - `panel`: kc × 32 floats, rows 128 bytes apart (see `PackedPanels`); columns past the
    ///   matrix edge hold zeros. Packed panels are 64-byte aligned; a caller's B used in place as
    ///   a panel may not be (unaligned loads cost nothing extra on aligned data).
    /// - `rows` ≤ 8 and `columns` ≤ 32 are the valid part of the tile at the bottom/right edge.
    /// - `epilogue`: the bias (the panel's first column's entry) and ReLU apply only when set.
    /// - `depth`: kc, the K block's depth (Σ of the runs' counts); without AVX-512 it picks how the
    ///   tile is cut (below).
    ///
    /// `Width`: `FullTile` multiplies all 32 columns; `HalfTile` (a tile of ≤ 16 valid columns)
    /// only the first 16, skipping the half that is zero padding. Both compile to straight-line
    /// code: `Width.wide` is a constant in each specialisation.
    ///
    /// Without AVX-512 (16 registers of 8 floats) the tile is computed in parts over the whole
    /// depth each: a full-width tile of a block at least `sixRowMinimumDepth` deep as two 6 × 16
    /// parts (12 accumulators) and one 2 × 32 part (8), any other as four 4 × 16 quarters (8).
    /// Every part sums each of its elements as the 8 × 32 tile does (from the bias or zero, one
    /// FMA per step in depth order, then added to C), so the cut never changes a result bit.
    ///
    /// Does not validate its arguments in release builds.
    @inline(__always)
    static func uncheckedTile<Width: TileWidth>(
        _ width: Width.Type,
        a: TileRows, runs: UnsafeBufferPointer<DepthRun>,
        panel: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, columns: Int, epilogue: TileEpilogue, depth: Int
    ) {
        assert(rows >= 1 && rows <= MicroKernel.rows && columns >= 1 && columns <= MicroKernel.columns)
        #if RESLAB_AVX512
        avx512Tile(width, a: a, runs: runs, panel: panel, c: c, ldc: ldc, rows: rows, columns: columns, epilogue: epilogue)
        #else
        if Width.wide && depth >= sixRowMinimumDepth {
            // Rows 0–5 in two 6 × 16 halves, then rows 6–7 × 32, each over the whole depth.
            let half = MicroKernel.columns / 2, sixRows = min(6, rows)
            let six = (a.a0, a.a1, a.a2, a.a3, a.a4, a.a5)
            sixRowTile(a: six, runs: runs, panel: panel, c: c, ldc: ldc, rows: sixRows, columns: half, epilogue: epilogue)
            sixRowTile(a: six, runs: runs, panel: panel + half, c: c + half, ldc: ldc, rows: sixRows, columns: columns - half,
                       epilogue: epilogue.shifted(by: half))
            if rows > 6 {
                twoRowTile(a: (a.a6, a.a7), runs: runs, panel: panel, c: c + 6 * ldc, ldc: ldc, rows: rows - 6, columns: columns, epilogue: epilogue)
            }
            return
        }
        // Four 4 × 16 quarters (rows 0–3 and 4–7, columns 0–15 and 16–31), each over the whole
        // depth. A `HalfTile` (≤ 16 valid columns) is one column of quarters.
        let quarterColumns = MicroKernel.columns / 2
        for top in stride(from: 0, to: rows, by: 4) {
            let quarterRows = top == 0 ? (a.a0, a.a1, a.a2, a.a3) : (a.a4, a.a5, a.a6, a.a7)
            for left in stride(from: 0, to: Width.wide ? MicroKernel.columns : quarterColumns, by: quarterColumns) {
                quarterTile(a: quarterRows, runs: runs, panel: panel + left, c: c + top * ldc + left, ldc: ldc,
                            rows: min(4, rows - top), columns: min(quarterColumns, columns - left), epilogue: epilogue.shifted(by: left))
            }
        }
        #endif
    }

    /// The 8 × 32 tile with 16 `SIMD16<Float>` accumulators: AVX-512 builds (32 vector registers).
    @inline(__always)
    private static func avx512Tile<Width: TileWidth>(
        _ width: Width.Type,
        a: TileRows, runs: UnsafeBufferPointer<DepthRun>,
        panel: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, columns: Int, epilogue: TileEpilogue
    ) {
        let (a0, a1, a2, a3, a4, a5, a6, a7) = (a.a0, a.a1, a.a2, a.a3, a.a4, a.a5, a.a6, a.a7)

        // Every row starts from the bias row (or zero).
        let (low, high) = epilogue.bias.map { loadRow($0, columns: columns) } ?? (SIMD16<Float>(), SIMD16<Float>())
        var c00 = low, c01 = high, c10 = low, c11 = high, c20 = low, c21 = high, c30 = low, c31 = high
        var c40 = low, c41 = high, c50 = low, c51 = high, c60 = low, c61 = high, c70 = low, c71 = high

        // `addingProduct` is one vfmadd231ps zmm when the target CPU has AVX-512 (Package.swift
        // passes -target-cpu): 265 GFLOP/s on one Zen 5 core; without a target CPU each lane
        // becomes a call to `fmaf` (1.3 GFLOP/s).
        var b = UnsafeRawPointer(panel)
        for run in runs {
            var offset = run.start
            let step = run.step
            for _ in 0..<run.count {
                let b0 = b.loadUnaligned(as: SIMD16<Float>.self)
                let b1 = Width.wide ? b.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) : SIMD16<Float>()
                var s = SIMD16<Float>(repeating: a0[offset])
                c00 = c00.addingProduct(s, b0); if Width.wide { c01 = c01.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a1[offset])
                c10 = c10.addingProduct(s, b0); if Width.wide { c11 = c11.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a2[offset])
                c20 = c20.addingProduct(s, b0); if Width.wide { c21 = c21.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a3[offset])
                c30 = c30.addingProduct(s, b0); if Width.wide { c31 = c31.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a4[offset])
                c40 = c40.addingProduct(s, b0); if Width.wide { c41 = c41.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a5[offset])
                c50 = c50.addingProduct(s, b0); if Width.wide { c51 = c51.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a6[offset])
                c60 = c60.addingProduct(s, b0); if Width.wide { c61 = c61.addingProduct(s, b1) }
                s = SIMD16<Float>(repeating: a7[offset])
                c70 = c70.addingProduct(s, b0); if Width.wide { c71 = c71.addingProduct(s, b1) }
                offset &+= step
                b += 4 * MicroKernel.columns
            }
        }

        storeRow(c00, c01, to: c, columns: columns, epilogue)
        if rows > 1 { storeRow(c10, c11, to: c + ldc, columns: columns, epilogue) }
        if rows > 2 { storeRow(c20, c21, to: c + 2 * ldc, columns: columns, epilogue) }
        if rows > 3 { storeRow(c30, c31, to: c + 3 * ldc, columns: columns, epilogue) }
        if rows > 4 { storeRow(c40, c41, to: c + 4 * ldc, columns: columns, epilogue) }
        if rows > 5 { storeRow(c50, c51, to: c + 5 * ldc, columns: columns, epilogue) }
        if rows > 6 { storeRow(c60, c61, to: c + 6 * ldc, columns: columns, epilogue) }
        if rows > 7 { storeRow(c70, c71, to: c + 7 * ldc, columns: columns, epilogue) }
    }

    /// Floats 0..<columns of `row` as two vectors, zero past `columns`; no alignment needed.
    @inline(__always)
    private static func loadRow(_ row: UnsafePointer<Float>, columns: Int) -> (SIMD16<Float>, SIMD16<Float>) {
        let raw = UnsafeRawPointer(row)
        if columns == MicroKernel.columns {
            return (raw.loadUnaligned(as: SIMD16<Float>.self), raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
        }
        if columns == 16 { return (raw.loadUnaligned(as: SIMD16<Float>.self), SIMD16<Float>()) }
        var low = SIMD16<Float>(), high = SIMD16<Float>()
        for j in 0..<columns {
            if j < 16 { low[j] = row[j] } else { high[j - 16] = row[j] }
        }
        return (low, high)
    }

    /// c[0..<columns] = (c if add) + (low ++ high), then max(0, ·) if relu; no alignment needed.
    @inline(__always)
    private static func storeRow(
        _ low: SIMD16<Float>, _ high: SIMD16<Float>,
        to c: UnsafeMutablePointer<Float>, columns: Int, _ epilogue: TileEpilogue
    ) {
        var (low, high) = (low, high)
        if epilogue.add {
            let (oldLow, oldHigh) = loadRow(c, columns: columns)
            low += oldLow
            high += oldHigh
        }
        if epilogue.relu {
            low.replace(with: 0, where: low .< 0)
            high.replace(with: 0, where: high .< 0)
        }
        let raw = UnsafeMutableRawPointer(c)
        if columns == MicroKernel.columns {
            raw.storeBytes(of: low, as: SIMD16<Float>.self)
            raw.storeBytes(of: high, toByteOffset: 64, as: SIMD16<Float>.self)
        } else if columns == 16 {
            // A 16-filter layer's tiles (ResNet-20's first stage): one vector store, not 16 lane
            // extractions (storeRow was 9% of a ResNet-20 training step).
            raw.storeBytes(of: low, as: SIMD16<Float>.self)
        } else {
            for j in 0..<columns { c[j] = j < 16 ? low[j] : high[j - 16] }
        }
    }
}

/// The rows of A of one tile: row i's elements are read at `row(i)[offset]`. Rows past the
/// bottom edge of A repeat the last valid row (they are computed and never stored), so an edge
/// tile runs the same straight-line code as a full one instead of a second, per-row kernel.
struct TileRows {
    var a0, a1, a2, a3, a4, a5, a6, a7: UnsafePointer<Float>

    /// Rows `valid` and later repeat row `valid − 1`.
    @inline(__always)
    init(valid: Int, _ row: (Int) -> UnsafePointer<Float>) {
        let last = valid - 1
        (a0, a1, a2, a3) = (row(0), row(min(1, last)), row(min(2, last)), row(min(3, last)))
        (a4, a5, a6, a7) = (row(min(4, last)), row(min(5, last)), row(min(6, last)), row(min(7, last)))
    }
}

/// `count` steps of a K block's depth whose elements of A lie `step` floats apart from `start`
/// in each row (`MicroKernel.uncheckedTile`).
struct DepthRun {
    var start: Int
    var count: Int
    var step: Int
}

/// How many of a tile's 32 columns the micro-kernel multiplies (see `MicroKernel.uncheckedTile`).
protocol TileWidth { static var wide: Bool { get } }
/// All 32 columns.
enum FullTile: TileWidth { static var wide: Bool { true } }
/// The first 16 columns: a right-edge tile with ≤ 16 valid columns.
enum HalfTile: TileWidth { static var wide: Bool { false } }

/// What a tile does besides the product: start from a bias row, add to the old C, clamp at zero.
struct TileEpilogue {
    /// Add the tile to C instead of overwriting it (accumulating, or a later K block).
    var add: Bool
    /// The bias row's entry for the tile's first column (first K block only).
    var bias: UnsafePointer<Float>? = nil
    /// Apply max(0, ·) after adding (last K block only).
    var relu = false

    /// The same for the part of the tile that starts `columns` columns to the right.
    @inline(__always)
    func shifted(by columns: Int) -> TileEpilogue {
        TileEpilogue(add: add, bias: bias.map { $0 + columns }, relu: relu)
    }
}
