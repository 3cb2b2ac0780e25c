import Kernels

/// dW of a convolution the forward pass runs as F(2×2, 3×3), by the transpose of the same
/// algorithm, F(3×3, 2×2): with y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A per tile, the derivative of a
/// tile's Σ dy ⊙ y by g is
///
///     dW_c,f (3×3) = Σ_tiles Gᵀ [ (A dy_f Aᵀ) ⊙ (Bᵀ d_c B) ] G
///
/// where d_c is the tile's 4×4 input patch (as the forward pass reads it: zero in the padding)
/// and dy_f its 2×2 output gradient (zero past the map's edge on odd maps). Gᵀ · G is linear,
/// so it runs once on the sum over tiles, and per position ξ of the 4×4 transform that sum over
/// a block of T tiles is one GEMM:
///
///     M_ξ (C × F) += V_ξᵀ (C × T) · Q_ξ (T × F),    V_ξ = (Bᵀ d B)_ξ,   Q_ξ = (A dy Aᵀ)_ξ
///
///     A = [1 0; 1 1; 1 −1; 0 −1]   (the forward pass's Aᵀ transposed)
///
/// 16 multiply-adds per channel, filter and tile instead of 36 (9 taps × 4 pixels). Each image
/// group (`Convolution.imageGroups`) sums its own M (its `Scratch.gradientPartials` block, 16 ×
/// C × F floats), the groups are added in order and transformed once, so dW does not depend on
/// the thread count. The sums run in another order than the direct dW's (`weightGradientWindows`),
/// so the last bits differ (WinogradTests checks it against a direct convolution in Double,
/// GradientCheckTests against finite differences).
extension WinogradConvolution {
    /// Floats of one image group's partial: the 16 M_ξ (C × F each).
    var weightGradientGroupFloats: Int { 16 * channels * filters }

    /// dW's image groups as a loop (`Scratch.run`, with the backward pass's other loops): each
    /// group's 16 M_ξ from x and dy into its partial; `finishWeightGradient` then gives dW.
    func weightGradientLoop(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, scratch: Scratch) -> ChunkedLoop {
        let c = channels, f = filters, groupFloats = conv.gradientGroupFloats, imageGroups = conv.imageGroups, batch = conv.batch
        return ChunkedLoop(chunks: imageGroups) { worker, group in
            let tiles = batch * group / imageGroups * tilesPerImage..<batch * (group + 1) / imageGroups * tilesPerImage
            let partial = scratch.gradientPartials + group * groupFloats
            let v = scratch.columnBlock(worker), q = v + 16 * inputPlane
            var t0 = tiles.lowerBound
            while t0 < tiles.upperBound {
                let block = t0..<min(tiles.upperBound, t0 + WinogradConvolution.blockTiles)
                transformInput(x, tiles: block, into: v)
                transformOutputGradient(dy, tiles: block, into: q)
                for xi in 0..<16 {
                    gemm(transposeA: true, m: c, n: f, k: block.count, a: v + xi * inputPlane, lda: c,
                         b: q + xi * outputPlane, ldb: f, c: partial + xi * c * f, ldc: f, accumulate: t0 > tiles.lowerBound)
                }
                t0 = block.upperBound
            }
        }
    }

    /// dW (kh, kw, C, F) (overwritten) from the image groups' M (`weightGradientLoop`): the
    /// groups' M summed in order into the first group's, then dW = Gᵀ M G.
    func finishWeightGradient(into dWeight: UnsafeMutablePointer<Float>, scratch: Scratch) {
        conv.sumGroupPartials(scratch: scratch, into: scratch.gradientPartials)
        scratch.forParts(channels * filters) { _, range in transformSummedGradient(scratch.gradientPartials, elements: range, into: dWeight) }
    }

    /// Q_ξ[tile][f] = (A dy Aᵀ)_ξ for `tiles`, Q_ξ with row stride F, `outputPlane` floats apart:
    /// with the tile's gradient [a b; c d], A·dy has rows (a, b), (a + c, b + d), (a − c, b − d),
    /// (−c, −d), and each row (p, r) of it gives the row (p, p + r, p − r, −r) of Q. A pixel past
    /// the map's edge reads a row of zeros. 16 filters at a time, as `transformInput` does.
    private func transformOutputGradient(_ dy: UnsafePointer<Float>, tiles: Range<Int>, into q: UnsafeMutablePointer<Float>) {
        let ho = conv.plan.output.height, wo = conv.plan.output.width, f = filters, plane = outputPlane
        withUnsafeTemporaryAllocation(of: Float.self, capacity: f) { zeros in
            zeros.initialize(repeating: 0)
            for (row, tile) in tiles.enumerated() {
                let image = tile / tilesPerImage, within = tile % tilesPerImage
                let oy = (within / tilesWide) * 2, ox = (within % tilesWide) * 2
                func pixel(_ i: Int, _ j: Int) -> UnsafePointer<Float> {
                    oy + i < ho && ox + j < wo ? dy + ((image * ho + oy + i) * wo + ox + j) * f : UnsafePointer(zeros.baseAddress!)
                }
                let (p00, p01, p10, p11) = (pixel(0, 0), pixel(0, 1), pixel(1, 0), pixel(1, 1))
                let o = q + row * f
                forEachGroupOf16(f) { k in
                    func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p + k).loadUnaligned(as: SIMD16<Float>.self) }
                    func store(_ xi: Int, _ value: SIMD16<Float>) {
                        UnsafeMutableRawPointer(o + xi * plane + k).storeBytes(of: value, as: SIMD16<Float>.self)
                    }
                    let (a, b, c, d) = (load(p00), load(p01), load(p10), load(p11))
                    func storeRow(_ r: Int, _ p: SIMD16<Float>, _ s: SIMD16<Float>) {
                        store(4 * r, p); store(4 * r + 1, p + s); store(4 * r + 2, p - s); store(4 * r + 3, -s)
                    }
                    storeRow(0, a, b)
                    storeRow(1, a + c, b + d)
                    storeRow(2, a - c, b - d)
                    storeRow(3, -c, -d)
                }
            }
        }
    }

    /// dW[i, j, c, f] = (Gᵀ M G)[i][j] for the (c, f) indices `elements` of the summed M_ξ (16 ×
    /// C × F): Gᵀ m has rows m0 + (m1 + m2)/2, (m1 − m2)/2, (m1 + m2)/2 + m3, and · G does the same
    /// to each row's four columns.
    private func transformSummedGradient(_ m: UnsafePointer<Float>, elements: Range<Int>, into dWeight: UnsafeMutablePointer<Float>) {
        let plane = channels * filters
        for index in elements {
            func mm(_ xi: Int) -> Float { m[xi &* plane &+ index] }
            func reduce(_ a: Float, _ b: Float, _ c: Float, _ d: Float) -> (Float, Float, Float) {
                let half = (b + c) * 0.5
                return (a + half, (b - c) * 0.5, half + d)
            }
            // r = Gᵀ m (3 × 4), column by column; then each of its rows times G.
            let c0 = reduce(mm(0), mm(4), mm(8), mm(12)), c1 = reduce(mm(1), mm(5), mm(9), mm(13))
            let c2 = reduce(mm(2), mm(6), mm(10), mm(14)), c3 = reduce(mm(3), mm(7), mm(11), mm(15))
            func store(_ i: Int, _ row: (Float, Float, Float)) {
                dWeight[(3 * i) &* plane &+ index] = row.0
                dWeight[(3 * i + 1) &* plane &+ index] = row.1
                dWeight[(3 * i + 2) &* plane &+ index] = row.2
            }
            store(0, reduce(c0.0, c1.0, c2.0, c3.0))
            store(1, reduce(c0.1, c1.1, c2.1, c3.1))
            store(2, reduce(c0.2, c1.2, c2.2, c3.2))
        }
    }
}
