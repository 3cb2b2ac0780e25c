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

    /// C tile (rows × columns, row stride `ldc`) = (or +=, when `epilogue.add`) A tile · B panel:
    ///
    ///     C[i][j] (+)= bias[j] + Σ_{p < kc} A(i, p) · panel[p][j]      then max(0, ·) if relu
    ///
    /// - `a`: A(0, 0) of the tile; A(i, p) is at `a[i * rowStride + p * depthStride]`, so
    ///   row-major A passes (lda, 1) and transposed storage (1, lda): both are broadcast straight
    ///   from the caller's memory, nothing is packed.
    /// - `panel`: kc × 32 floats, rows 128 bytes apart (see `PackedPanels`); columns past the
    ///   matrix edge hold zeros. Packed panels are 64-byte aligned; a caller's B used in place as
    ///   a panel may not be (unaligned loads cost nothing extra on aligned data).
    /// - `rows` ≤ 8 and `columns` ≤ 32 are the valid part of the tile at the bottom/right edge.
    /// - `epilogue`: the bias (the panel's first column's entry) and ReLU apply only when set.
    ///
    /// `Width`: `FullTile` multiplies all 32 columns; `HalfTile` (a tile of ≤ 16 valid columns)
    /// only the first 16, skipping the half that is zero padding. Both compile to straight-line
    /// code: `Width.wide` is a constant in each specialisation.
    ///
    /// Does not validate its arguments in release builds.
    @inline(__always)
    static func uncheckedTile<Width: TileWidth>(
        _ width: Width.Type,
        depth kc: Int,
        a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
        panel: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        rows: Int, columns: Int, epilogue: TileEpilogue
    ) {
        assert(rows >= 1 && rows <= MicroKernel.rows && columns >= 1 && columns <= MicroKernel.columns)
        // Rows past the bottom edge re-read the last valid row and are never stored: an edge tile
        // runs the same straight-line code as a full one instead of a second, per-row kernel.
        let a0 = a
        let a1 = a + min(1, rows - 1) * rowStride
        let a2 = a + min(2, rows - 1) * rowStride
        let a3 = a + min(3, rows - 1) * rowStride
        let a4 = a + min(4, rows - 1) * rowStride
        let a5 = a + min(5, rows - 1) * rowStride
        let a6 = a + min(6, rows - 1) * rowStride
        let a7 = a + min(7, rows - 1) * rowStride

        // Every row starts from the bias row (or zero).
        let (low, high) = epilogue.bias.map { loadRow($0, columns: columns) } ?? (SIMD16<Float>(), SIMD16<Float>())
        var c00 = low, c01 = high, c10 = low, c11 = high, c20 = low, c21 = high, c30 = low, c31 = high
        var c40 = low, c41 = high, c50 = low, c51 = high, c60 = low, c61 = high, c70 = low, c71 = high

        // `addingProduct` is one vfmadd231ps zmm when the target CPU has AVX-512 (Package.swift
        // passes -target-cpu): 265 GFLOP/s on one Zen 5 core; without a target CPU each lane
        // becomes a call to `fmaf` (1.3 GFLOP/s).
        var offset = 0
        var b = UnsafeRawPointer(panel)
        for _ in 0..<kc {
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
            offset &+= depthStride
            b += 4 * MicroKernel.columns
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
}
