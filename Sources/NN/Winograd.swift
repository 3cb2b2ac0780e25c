import Kernels

/// Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016, "Fast Algorithms for
/// Convolutional Neural Networks") for the forward pass of a 3×3, stride-1, undilated,
/// ungrouped convolution, in evaluation and (from `trainingMinimumChannels`) in training, where
/// it also gives dx (conv′'s forward pass, Convolution+WindowGradients.swift) and, transposed,
/// dW (Winograd+WeightGradient.swift). Each 2×2 tile of the output is
///
///     Y = Aᵀ [ Σ_c (G g_c,f Gᵀ) ⊙ (Bᵀ d_c B) ] A          d_c: the tile's 4×4 input patch of channel c
///
/// (zero where the patch reads padding or past the input), and the sum over channels at each of
/// the 16 positions ξ of the 4×4 transform is one GEMM over a block of T tiles:
///
///     M_ξ (T × F) = V_ξ (T × C) · U_ξ (C × F),     V_ξ = (Bᵀ d B)_ξ,  U_ξ = (G g Gᵀ)_ξ
///
///     Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
///
/// 16 multiply-adds per channel and filter give 4 outputs instead of 36: 2.25× fewer, the
/// transforms being additions. The sums are in another order than the direct convolution's, so
/// outputs differ from it in the last bits (WinogradTests bounds the difference, for training's
/// dW and dx too; GradientCheckTests against finite differences). Per image the result does not depend on the
/// chunking or the thread count: the tiles of a block are independent rows of the GEMMs, and
/// whether a layer uses it depends only on its shape and input size (`applies`).
struct WinogradConvolution {
    let conv: Convolution

    /// Tiles per block: the rows of each of the 16 GEMMs (the packed U_ξ are reused across them).
    /// 64 keeps a block's 16 V_ξ and M_ξ (16 · 64 · (C + F) floats: 384 KB at C = 32, F = 64) near a
    /// 512 KB L2; blocks of 256 (1.5 MB there) ran the reference CNN's inference 1–11% slower
    /// (mean 4.4%, most at 128 px), in same-process paired windows on a Zen 3; blocks of 32 gained
    /// less against 256 (mean 2.1%) (docs/kernels.md, "How the NN engine calls it"). Results do
    /// not depend on it.
    static let blockTiles = 64
    /// The fewest input channels and filters: each GEMM's depth is C, and a shallow one is mostly
    /// stores; the transforms work 16 channels or filters at a time.
    static let minimumChannels = 16

    var channels: Int { conv.channels }
    var filters: Int { conv.filters }
    var tilesHigh: Int { (conv.plan.output.height + 1) / 2 }
    var tilesWide: Int { (conv.plan.output.width + 1) / 2 }
    var tilesPerImage: Int { tilesHigh * tilesWide }

    /// The fewest input channels for a training pass to use it (forward, dW, and dx by conv′,
    /// whose channels are the layer's filters): at 16 the GEMMs are 16 deep, and ResNet-20's
    /// training ran 0.91× as fast (1 thread, 0.90× on 2) with its 16-channel stage on
    /// Winograd as with that stage direct, in same-process paired windows (docs/engine.md).
    static let trainingMinimumChannels = 32

    /// `applies(to:)`, and in training only from `trainingMinimumChannels` input channels.
    static func applies(to conv: Convolution, training: Bool) -> Bool {
        applies(to: conv) && (!training || conv.channels >= trainingMinimumChannels)
    }

    /// Whether an evaluation of `conv` uses F(2×2, 3×3): a 3×3, stride-1, undilated, ungrouped
    /// convolution with at least `minimumChannels` inputs and at least C / 16 tiles per image (a
    /// 7×7 map of 512 channels, 16 tiles, stays direct: at C / 32 it measured no faster on
    /// ResNet-18; C / 16 admits the reference CNN's 4×4×64 layer at 16 px, 4 tiles, which took
    /// its one-thread inference from 24,837–25,419 to 27,588–28,670 img/s, interleaved).
    static func applies(to conv: Convolution) -> Bool {
        guard conv.groups == 1, conv.rows.taps == 3, conv.columns.taps == 3, conv.rows.stride == 1, conv.columns.stride == 1,
              conv.rows.dilation == 1, conv.columns.dilation == 1,
              conv.channels >= minimumChannels, conv.filters >= minimumChannels else { return false }
        let winograd = WinogradConvolution(conv: conv)
        return winograd.tilesPerImage * 16 >= conv.channels
    }

    /// Floats from one V_ξ to the next: T × C, plus 32 floats so that the 16 matrices do not
    /// start at the same offset modulo 4 KB (the transforms read or write all 16 at once, and 16
    /// streams 4 KB apart compete for the same sets of the L1 cache).
    var inputPlane: Int { WinogradConvolution.blockTiles * channels + 32 }
    /// Floats from one M_ξ to the next (T × F, plus 32).
    var outputPlane: Int { WinogradConvolution.blockTiles * filters + 32 }
    /// Floats of one worker's scratch: the 16 V_ξ and the 16 M_ξ.
    var blockFloats: Int { 16 * (inputPlane + outputPlane) }

    /// U_ξ = (G g Gᵀ)_ξ for the 16 positions ξ, each (C × F), packed for the GEMM and kept (for
    /// evaluation: `Convolution.evaluationWeights`). `weight` is stored (kh, kw, C, F).
    func transformedWeights(_ weight: UnsafePointer<Float>) -> [RetainedPackedMatrix] {
        withUnpackedTransform(weight) { u, plane in
            (0..<16).map { RetainedPackedMatrix(k: channels, n: filters, b: u + $0 * plane, ldb: filters) }
        }
    }

    /// `body` with the 16 U_ξ of `weight` transformed and packed in pooled buffers (the training
    /// step's forward pass and dx, whose weights change every step), both across the threads.
    func withTransformedWeights<R>(_ weight: UnsafePointer<Float>, _ body: ([PackedMatrix]) -> R) -> R {
        withUnpackedTransform(weight) { u, plane in
            withPackedMatrices(count: 16, k: channels, n: filters, b: u, ldb: filters, stride: plane, body)
        }
    }

    /// `body(u, C·F)` with the 16 U_ξ of `weight` (C × F each, C·F floats apart) in a pooled buffer.
    private func withUnpackedTransform<R>(_ weight: UnsafePointer<Float>, _ body: (UnsafeMutablePointer<Float>, Int) -> R) -> R {
        let plane = channels * filters
        return withPooledFloats(16 * plane) { u in
            transformWeights(weight, into: u)
            return body(u, plane)
        }
    }

    /// u[ξ · C·F + i] = U_ξ[i] for every (c, f) index i, 16 indices at a time (the last group
    /// overlapping the one before), the groups across the threads.
    private func transformWeights(_ weight: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let plane = channels * filters, groups = groupsOf16(plane)
        Parallel.forChunks(groups, chunkSize: max(16, groups / 16)) { _, range in
            for group in range {
                let index = groupOf16Start(group, plane)
                func g(_ tap: Int) -> SIMD16<Float> { UnsafeRawPointer(weight + (tap * plane + index)).loadUnaligned(as: SIMD16<Float>.self) }
                func store(_ xi: Int, _ value: SIMD16<Float>) {
                    UnsafeMutableRawPointer(u + (xi * plane + index)).storeBytes(of: value, as: SIMD16<Float>.self)
                }
                // t = G g (4 × 3), column j: g0j, (g0j + g1j + g2j)/2, (g0j − g1j + g2j)/2, g2j;
                // then U = t Gᵀ (4 × 4), row r: tr0, (tr0 + tr1 + tr2)/2, (tr0 − tr1 + tr2)/2, tr2.
                func t(_ r: Int, _ j: Int) -> SIMD16<Float> {
                    switch r {
                    case 0: g(j)
                    case 1: (g(j) + g(3 + j) + g(6 + j)) * 0.5
                    case 2: (g(j) - g(3 + j) + g(6 + j)) * 0.5
                    default: g(6 + j)
                    }
                }
                for r in 0..<4 {
                    let (t0, t1, t2) = (t(r, 0), t(r, 1), t(r, 2))
                    store(4 * r, t0)
                    store(4 * r + 1, (t0 + t1 + t2) * 0.5)
                    store(4 * r + 2, (t0 - t1 + t2) * 0.5)
                    store(4 * r + 3, t2)
                }
            }
        }
    }

    /// y = clamp(conv(x, W) + b) (`StoreClamp`: a fused ReLU or clip), with `transformed` the 16 packed U_ξ of W
    /// (`transformedWeights` kept for evaluation, or `withTransformedWeights` per training step).
    /// With `pooled`, y is instead the output (of that shape) of a 2×2, stride-2, unpadded max pool
    /// over that result (`ExecutionSchedule.pooledInto`): each pooling window is one output tile;
    /// `winners` (shaped as y, training), when given, each output's place in its window (0…3).
    /// With `residual` (shaped as y), y = clamp(conv + b + r): a residual block's add (`residualFrom`).
    func forward(x: UnsafePointer<Float>, transformed: [PackedMatrix], bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, clamp: StoreClamp, pooled: FeatureShape? = nil, winners: UnsafeMutablePointer<Float>? = nil,
                 residual: UnsafePointer<Float>? = nil, scratch: Scratch) {
        scratch.run(forwardLoop(x: x, transformed: transformed, bias: bias, y: y, clamp: clamp, pooled: pooled, winners: winners,
                                residual: residual, scratch: scratch))
    }

    /// `forward`'s blocks of `blockTiles` tiles as a loop (`Scratch.run`: dx's loop in a backward pass).
    func forwardLoop(x: UnsafePointer<Float>, transformed: [PackedMatrix], bias: UnsafePointer<Float>,
                     y: UnsafeMutablePointer<Float>, clamp: StoreClamp, pooled: FeatureShape? = nil, winners: UnsafeMutablePointer<Float>? = nil,
                     residual: UnsafePointer<Float>? = nil, scratch: Scratch) -> ChunkedLoop {
        let tiles = conv.batch * tilesPerImage, blockTiles = WinogradConvolution.blockTiles
        return ChunkedLoop(chunks: (tiles + blockTiles - 1) / blockTiles) { worker, block in
            let t0 = block * blockTiles, count = min(blockTiles, tiles - t0)
            let v = scratch.columnBlock(worker), m = v + 16 * inputPlane
            transformInput(x, tiles: t0..<t0 + count, into: v)
            for xi in 0..<16 {
                transformed[xi].multiply(m: count, a: v + xi * inputPlane, lda: channels, c: m + xi * outputPlane, ldc: filters)
            }
            if let pooled {
                transformOutputPooled(m, tiles: t0..<t0 + count, bias: bias, clamp: clamp, pooled: pooled, winners: winners, into: y)
            } else {
                transformOutput(m, tiles: t0..<t0 + count, bias: bias, clamp: clamp, residual: residual, into: y)
            }
        }
    }

    /// V_ξ[tile][c] = (Bᵀ d B)_ξ for `tiles` (global indices n·tilesPerImage + ty·tilesWide + tx),
    /// V_ξ with row stride C, `inputPlane` floats apart. The 16 positions of a tile's patch are
    /// read where they lie (a row of zeros where the patch reads padding), 16 channels at a time:
    /// the last group overlaps the one before when C is not a multiple of 16 (recomputing the
    /// same values).
    func transformInput(_ x: UnsafePointer<Float>, tiles: Range<Int>, into v: UnsafeMutablePointer<Float>) {
        let h = conv.plan.input.height, w = conv.plan.input.width, c = channels
        let top = conv.rows.padBefore, left = conv.columns.padBefore
        let plane = inputPlane
        withUnsafeTemporaryAllocation(of: Float.self, capacity: c) { zeros in
            zeros.initialize(repeating: 0)
            withUnsafeTemporaryAllocation(of: UnsafePointer<Float>.self, capacity: 16) { patch in
                let p = patch.baseAddress!
                for (row, tile) in tiles.enumerated() {
                    let image = tile / tilesPerImage, within = tile % tilesPerImage
                    let h0 = (within / tilesWide) * 2 - top, w0 = (within % tilesWide) * 2 - left
                    for i in 0..<4 {
                        for j in 0..<4 {
                            let hi = h0 + i, wi = w0 + j
                            p[4 * i + j] = hi < 0 || hi >= h || wi < 0 || wi >= w
                                ? UnsafePointer(zeros.baseAddress!) : x + ((image * h + hi) * w + wi) * c
                        }
                    }
                    let o = v + row * c
                    forEachGroupOf16(c) { k in
                        func d(_ index: Int) -> SIMD16<Float> { UnsafeRawPointer(p[index] + k).loadUnaligned(as: SIMD16<Float>.self) }
                        func store(_ xi: Int, _ value: SIMD16<Float>) {
                            UnsafeMutableRawPointer(o + xi * plane + k).storeBytes(of: value, as: SIMD16<Float>.self)
                        }
                        // t = Bᵀ d: rows d0 − d2, d1 + d2, d2 − d1, d1 − d3; then V = t B: columns
                        // t0 − t2, t1 + t2, t2 − t1, t1 − t3.
                        let r0 = (d(0) - d(8), d(1) - d(9), d(2) - d(10), d(3) - d(11))
                        let r1 = (d(4) + d(8), d(5) + d(9), d(6) + d(10), d(7) + d(11))
                        let r2 = (d(8) - d(4), d(9) - d(5), d(10) - d(6), d(11) - d(7))
                        let r3 = (d(4) - d(12), d(5) - d(13), d(6) - d(14), d(7) - d(15))
                        store(0, r0.0 - r0.2); store(1, r0.1 + r0.2); store(2, r0.2 - r0.1); store(3, r0.1 - r0.3)
                        store(4, r1.0 - r1.2); store(5, r1.1 + r1.2); store(6, r1.2 - r1.1); store(7, r1.1 - r1.3)
                        store(8, r2.0 - r2.2); store(9, r2.1 + r2.2); store(10, r2.2 - r2.1); store(11, r2.1 - r2.3)
                        store(12, r3.0 - r3.2); store(13, r3.1 + r3.2); store(14, r3.2 - r3.1); store(15, r3.1 - r3.3)
                    }
                }
            }
        }
    }

    /// The tile's 2×2 outputs (Aᵀ m A) + bias (+ the residual's four pixels), clamped, for
    /// filters k..<k + 16, from its row `b` of the 16 M_ξ: s = Aᵀ m: rows m0 + m1 + m2,
    /// m1 − m2 − m3; then Y = s A: columns s0 + s1 + s2, s1 − s2 − s3.
    @inline(__always)
    private func tileOutputs(_ b: UnsafePointer<Float>, _ k: Int, bias: UnsafePointer<Float>, clamp: StoreClamp,
                             residual: TilePixels? = nil) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
        let plane = outputPlane
        func mm(_ xi: Int) -> SIMD16<Float> { UnsafeRawPointer(b + xi * plane + k).loadUnaligned(as: SIMD16<Float>.self) }
        let s00 = mm(0) + mm(4) + mm(8), s01 = mm(1) + mm(5) + mm(9)
        let s02 = mm(2) + mm(6) + mm(10), s03 = mm(3) + mm(7) + mm(11)
        let s10 = mm(4) - mm(8) - mm(12), s11 = mm(5) - mm(9) - mm(13)
        let s12 = mm(6) - mm(10) - mm(14), s13 = mm(7) - mm(11) - mm(15)
        let bk = UnsafeRawPointer(bias + k).loadUnaligned(as: SIMD16<Float>.self)
        var r00 = s00 + s01 + s02 + bk, r01 = s01 - s02 - s03 + bk
        var r10 = s10 + s11 + s12 + bk, r11 = s11 - s12 - s13 + bk
        if let residual {
            func load(_ pixel: UnsafeRawPointer) -> SIMD16<Float> { pixel.loadUnaligned(fromByteOffset: 4 * k, as: SIMD16<Float>.self) }
            r00 += load(residual.p00); r01 += load(residual.p01); r10 += load(residual.p10); r11 += load(residual.p11)
        }
        return (clamp(r00), clamp(r01), clamp(r10), clamp(r11))
    }

    /// y[tile's 2×2 outputs][f] = `tileOutputs`, 16 filters at a time as in `transformInput`.
    /// Outputs past the map's edge (odd Ho or Wo) are written to a discarded row instead (and
    /// read the residual from a row of zeros), so the loop has no branch.
    private func transformOutput(_ m: UnsafePointer<Float>, tiles: Range<Int>, bias: UnsafePointer<Float>, clamp: StoreClamp,
                                 residual: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let ho = conv.plan.output.height, wo = conv.plan.output.width, f = filters
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * f) { edge in
            let discarded = edge.baseAddress!, zeros = edge.baseAddress! + f
            zeros.initialize(repeating: 0, count: f)
            for (row, tile) in tiles.enumerated() {
                let image = tile / tilesPerImage, within = tile % tilesPerImage
                let oy = (within / tilesWide) * 2, ox = (within % tilesWide) * 2
                func offset(_ i: Int, _ j: Int) -> Int? { oy + i < ho && ox + j < wo ? ((image * ho + oy + i) * wo + ox + j) * f : nil }
                func output(_ i: Int, _ j: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(offset(i, j).map { y + $0 } ?? discarded) }
                let (y00, y01, y10, y11) = (output(0, 0), output(0, 1), output(1, 0), output(1, 1))
                let pixels = residual.map { r in
                    func pixel(_ i: Int, _ j: Int) -> UnsafeRawPointer { UnsafeRawPointer(offset(i, j).map { r + $0 } ?? UnsafePointer(zeros)) }
                    return TilePixels(p00: pixel(0, 0), p01: pixel(0, 1), p10: pixel(1, 0), p11: pixel(1, 1))
                }
                forEachGroupOf16(f) { k in
                    let (r00, r01, r10, r11) = tileOutputs(m + row * f, k, bias: bias, clamp: clamp, residual: pixels)
                    let offset = 4 * k
                    y00.storeBytes(of: r00, toByteOffset: offset, as: SIMD16<Float>.self)
                    y01.storeBytes(of: r01, toByteOffset: offset, as: SIMD16<Float>.self)
                    y10.storeBytes(of: r10, toByteOffset: offset, as: SIMD16<Float>.self)
                    y11.storeBytes(of: r11, toByteOffset: offset, as: SIMD16<Float>.self)
                }
            }
        }
    }

    /// y[n, ty, tx][f] = the maximum of the tile's outputs inside the map (`tileOutputs`): a 2×2,
    /// stride-2 max pool whose windows are the tiles, of output shape `pooled` (floor rounding
    /// drops a last half tile, ceil keeps it with its one row or column), by the pool's own rule
    /// (`WindowMaximum`), so y equals the unfused pool's bit for bit, and the winner (written to
    /// `winners` when given) is the one `Pooling.maxBackward` finds.
    private func transformOutputPooled(_ m: UnsafePointer<Float>, tiles: Range<Int>, bias: UnsafePointer<Float>, clamp: StoreClamp,
                                       pooled: FeatureShape, winners: UnsafeMutablePointer<Float>?,
                                       into y: UnsafeMutablePointer<Float>) {
        let ho = conv.plan.output.height, wo = conv.plan.output.width, f = filters
        for (row, tile) in tiles.enumerated() {
            let image = tile / tilesPerImage, within = tile % tilesPerImage
            let ty = within / tilesWide, tx = within % tilesWide
            guard ty < pooled.height && tx < pooled.width else { continue }
            let right = 2 * tx + 1 < wo, below = 2 * ty + 1 < ho
            let at = ((image * pooled.height + ty) * pooled.width + tx) * f
            forEachGroupOf16(f) { k in
                let (r00, r01, r10, r11) = tileOutputs(m + row * f, k, bias: bias, clamp: clamp)
                var maximum = WindowMaximum()
                maximum.take(r00, place: 0)
                if right { maximum.take(r01, place: 1) }
                if below { maximum.take(r10, place: 2) }
                if right && below { maximum.take(r11, place: 3) }
                UnsafeMutableRawPointer(y + at).storeBytes(of: maximum.best, toByteOffset: 4 * k, as: SIMD16<Float>.self)
                if let winners { UnsafeMutableRawPointer(winners + at).storeBytes(of: maximum.winner, toByteOffset: 4 * k, as: SIMD16<Float>.self) }
            }
        }
    }
}

/// The four pixels of a 2×2 tile in a tensor laid out as the output (channel 0 of each).
private struct TilePixels {
    let p00, p01, p10, p11: UnsafeRawPointer
}

/// Calls `body(k)` for k = 0, 16, 32, … and last n − 16 (n ≥ 16): every index below n in some
/// group of 16, the last group overlapping the one before when n is not a multiple of 16.
@inline(__always)
func forEachGroupOf16(_ n: Int, _ body: (Int) -> Void) {
    for group in 0..<groupsOf16(n) { body(groupOf16Start(group, n)) }
}

/// The groups of 16 `forEachGroupOf16` visits for n ≥ 16 indices: ⌈n / 16⌉.
@inline(__always)
func groupsOf16(_ n: Int) -> Int { (n + 15) / 16 }

/// The first index of group `group` of `forEachGroupOf16(n)`: 16·group, the last one n − 16.
@inline(__always)
func groupOf16Start(_ group: Int, _ n: Int) -> Int { min(group &* 16, n &- 16) }
