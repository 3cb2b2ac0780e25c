import Kernels

/// Convolution as im2col + GEMM, NHWC:
///
///     cols (M × K), row (n, ho, wo), column (i, j, c) = x[n, ho·s − pt + i·d, wo·s − pl + j·d, c]
///     y (M × F) = cols (M × K) · W (K × F) + b          W is stored (kh, kw, C, F) = (K × F)
///
/// With g groups each group is its own im2col + GEMM: group q reads channels q·Cg..<(q+1)·Cg
/// (Cg = C/g, so K = kh·kw·Cg) and writes filters q·Fg..<(q+1)·Fg (Fg = F/g) with the weight
/// columns of those filters (W stored (kh, kw, Cg, F) = (K × F)). A depthwise convolution (Cg =
/// Fg = 1) has its own kernel instead (`DepthwiseConvolution`): with K = kh·kw a GEMM is all
/// overhead.
///
/// The M rows are cut into blocks of `rowsPerBlock` rows (about `blockFloats` of cols each, so
/// a block stays in the core's L2 cache; in the forward pass at least `minimumForwardRows`) and
/// the threads take blocks one at a time, dynamically: each expands its block into its own
/// scratch block and multiplies it at once by the weights, packed once per call (once per
/// `predict` when it passes them packed).
/// cols never exists whole: writing it out and reading it back cost more than the multiply on
/// the small convolutions (conv1: K = 27).
struct Convolution {
    let plan: LayerPlan
    let batch: Int

    /// Floats of im2col per block (256 KB).
    static let blockFloats = 1 << 16
    /// The weight gradient is summed over this many fixed groups of images (each by one thread,
    /// block by block), then the groups are added in order: the result does not depend on the
    /// number of threads.
    static let gradientGroups = 8

    var rows: WindowAxis { plan.rows! }
    var columns: WindowAxis { plan.columns! }
    var channels: Int { plan.input.channels }
    var filters: Int { plan.output.channels }
    /// g: the convolution's groups (1 for a plain convolution).
    var groups: Int {
        if case let .conv(spec) = plan.spec { return spec.groups }
        return 1
    }
    /// Cg = C/g channels and Fg = F/g filters per group.
    var groupChannels: Int { channels / groups }
    var groupFilters: Int { filters / groups }
    /// K = kh·kw·Cg.
    var depth: Int { rows.taps * columns.taps * groupChannels }
    /// One input channel and one filter per group: MobileNet's depthwise convolution.
    var isDepthwise: Bool { groups > 1 && groupChannels == 1 && groupFilters == 1 }
    /// Output pixels per image, Ho·Wo.
    var pixels: Int { plan.output.height * plan.output.width }
    /// Rows of cols per block: a multiple of the GEMM's 8-row tile, at least 8.
    var rowsPerBlock: Int { max(8, Convolution.blockFloats / max(1, depth) / 8 * 8) }
    /// The fewest rows of cols the forward pass multiplies by the packed weights at once. With
    /// large K, `rowsPerBlock` is only a few tiles (K = 4608: 14 rows), and each block streamed
    /// all of W (9.4 MB for ResNet-18's layer 4) from memory for them: raising the forward blocks
    /// to 64 rows took `bench onnx` (ResNet-18, 224 px, 1 thread) from 20.2 to 24.6 img/s;
    /// 128, 256 and 512 rows measured the same as 64.
    static let minimumForwardRows = 64
    /// Rows of cols per block of the forward pass: `rowsPerBlock`, at least `minimumForwardRows`
    /// (the backward pass keeps `rowsPerBlock`: its blocks fix the order dW is summed in).
    var forwardRowsPerBlock: Int { max(rowsPerBlock, Convolution.minimumForwardRows) }
    /// Groups of images the weight gradient is summed over.
    var imageGroups: Int { min(batch, Convolution.gradientGroups) }

    /// A 1×1, stride-1, unpadded, ungrouped convolution multiplies x itself: no im2col needed.
    var isPointwise: Bool {
        groups == 1 && rows.taps == 1 && columns.taps == 1 && rows.stride == 1 && columns.stride == 1
            && rows.padBefore == 0 && columns.padBefore == 0 && rows.output == rows.input && columns.output == columns.input
    }

    /// The floats one thread's scratch block needs (0 for a pointwise or depthwise convolution).
    var columnBlockFloats: Int { isPointwise || isDepthwise ? 0 : forwardRowsPerBlock * depth }
    /// The floats of one image group's weight-gradient partial: K × F, or the 16 C × F matrices
    /// M_ξ where dW is Winograd's (Winograd+WeightGradient.swift); 0 for a pointwise convolution.
    var gradientGroupFloats: Int {
        if WinogradConvolution.applies(to: self, training: true) { return WinogradConvolution(conv: self).weightGradientGroupFloats }
        return isPointwise ? 0 : depth * filters
    }

    /// Runs `body(rows, cols)` for the blocks of rows `rowRange` (global indices into M), in
    /// order, with `cols` the block's im2col matrix of channel group `group`, expanded into `block`.
    private func forEachBlock(of rowRange: Range<Int>, group: Int, x: UnsafePointer<Float>, block: UnsafeMutablePointer<Float>,
                              _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        var first = rowRange.lowerBound
        while first < rowRange.upperBound {
            let blockRows = first..<min(rowRange.upperBound, first + rowsPerBlock)
            im2col(x: x, rows: blockRows, group: group, into: block)
            body(blockRows, block)
            first = blockRows.upperBound
        }
    }

    /// W prepared for an evaluation forward pass, to pass to `forward(…, evaluation: true)` while
    /// W does not change: packed for the GEMM, one matrix per group (a pointwise convolution's
    /// too, which `gemm` would otherwise pack at every call: a 1-image chunk of MobileNetV2 at
    /// 224 px repacked all 3.4 M weights of its 1×1 layers), none for a depthwise convolution
    /// (which does not pack W), or the 16 transformed matrices of Winograd's F(2×2, 3×3) where it
    /// applies (`WinogradConvolution`).
    func evaluationWeights(_ weight: UnsafePointer<Float>) -> [RetainedPackedMatrix] {
        if WinogradConvolution.applies(to: self) { return WinogradConvolution(conv: self).transformedWeights(weight) }
        guard !isDepthwise else { return [] }
        return (0..<groups).map { RetainedPackedMatrix(k: depth, n: groupFilters, b: weight + $0 * groupFilters, ldb: filters) }
    }

    /// y = clamp(conv(x, W) + b) (`clamp`: a following ReLU or clip fused in, `StoreClamp`),
    /// by Winograd's F(2×2, 3×3) where it applies (`WinogradConvolution`: the same outputs to
    /// rounding, in another order of summation), in training as in evaluation.
    /// `evaluation`: a forward pass with no backward pass after it. `packed`: W as
    /// `evaluationWeights(weight)` gives it (only with `evaluation`), or nil to prepare W in this
    /// call (the result is the same bit for bit).
    /// `pooled`: y is the output, of this shape, of a 2×2 stride-2 max pool over the result
    /// (where `takesMaxPoolInStore`; `ExecutionSchedule.pooledInto`), with each output's winner
    /// in `winners` when given (training).
    /// `residual`: a tensor shaped as y added before the clamp, y = clamp(conv(x, W) + b + r): the
    /// add of a residual block taken in the store (not for a depthwise convolution;
    /// `ExecutionSchedule.residualFrom`).
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, clamp: StoreClamp, scratch: Scratch, evaluation: Bool = false,
                 packed: [RetainedPackedMatrix]? = nil, pooled: FeatureShape? = nil, winners: UnsafeMutablePointer<Float>? = nil,
                 residual: UnsafePointer<Float>? = nil) {
        let m = batch * pixels
        precondition(residual == nil || (!isDepthwise && pooled == nil), "no residual can be added in this convolution's store")
        if WinogradConvolution.applies(to: self, training: !evaluation) {
            let winograd = WinogradConvolution(conv: self)
            func run(_ transformed: [PackedMatrix]) {
                winograd.forward(x: x, transformed: transformed, bias: bias, y: y, clamp: clamp,
                                 pooled: pooled, winners: winners, residual: residual, scratch: scratch)
            }
            if let packed { run(packed.map(\.matrix)) } else { winograd.withTransformedWeights(weight, run) }
            return
        }
        precondition(pooled == nil || takesMaxPoolInStore(evaluation: evaluation), "no max pool can be taken in this convolution's store")
        let residualDistance = residual.map { UnsafePointer(y).distance(to: $0) }
        if isDepthwise {
            DepthwiseConvolution(conv: self).forward(x: x, weight: weight, bias: bias, y: y, clamp: clamp, scratch: scratch)
            return
        }
        if isPointwise {
            let epilogue = GEMMEpilogue(bias: bias, clamp: clamp, residualDistance: residualDistance)
            if let packed {
                packed[0].matrix.multiply(m: m, a: x, lda: depth, c: y, ldc: filters, epilogue: epilogue)
            } else {
                gemm(m: m, n: filters, k: depth, a: x, lda: depth, b: weight, ldb: filters, c: y, ldc: filters, epilogue: epilogue)
            }
            return
        }
        let fg = groupFilters
        for group in 0..<groups {
            let epilogue = GEMMEpilogue(bias: bias + group * fg, clamp: clamp, residualDistance: residualDistance)
            let multiplyBlocks = { (packedWeight: PackedMatrix) in
                if let outputRows = windowBlockRows {
                    forwardWindows(x: x, packedWeight: packedWeight, epilogue: epilogue, y: y, outputRows: outputRows,
                                   pooled: pooled != nil, winners: winners, scratch: scratch)
                    return
                }
                // One chunk per block of rows: it expands and multiplies its block alone.
                let rowsPerBlock = forwardRowsPerBlock
                let blocks = (m + rowsPerBlock - 1) / rowsPerBlock
                scratch.forChunks(blocks) { worker, block in
                    let blockRows = block * rowsPerBlock..<min(m, (block + 1) * rowsPerBlock)
                    let cols = scratch.columnBlock(worker)
                    im2col(x: x, rows: blockRows, group: group, into: cols)
                    packedWeight.multiply(m: blockRows.count, a: cols, lda: depth,
                                          c: y + blockRows.lowerBound * filters + group * fg, ldc: filters, epilogue: epilogue)
                }
            }
            if let packed {
                multiplyBlocks(packed[group].matrix)
            } else {
                withPackedMatrix(k: depth, n: fg, b: weight + group * fg, ldb: filters, multiplyBlocks)
            }
        }
    }

    /// From the forward line `y = cols · W + b`:
    ///     dW (K × F) = colsᵀ · dy,   db = Σ_rows dy,   dcols (M × K) = dy · Wᵀ,   dx = col2im(dcols).
    /// `dx` may be nil (the first layer needs no input gradient). Overwrites dW, db and dx.
    ///
    /// dW is summed per fixed image group (`Scratch.gradientPartials`), the groups then added in
    /// order, so it does not depend on the thread count. Where Winograd applies, dW is its
    /// F(3×3, 2×2) (Winograd+WeightGradient.swift); else where the forward pass reads windows in
    /// place, so does dW; otherwise cols is expanded block by block (im2col). A stride-1
    /// convolution's dx is conv′'s forward pass (Convolution+WindowGradients.swift), else dx is
    /// gathered back from dcols (col2im).
    func backward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                  dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        if isPointwise {
            columnSums(dy, rows: batch * pixels, width: filters, into: dBias, scratch: scratch)
            let m = batch * pixels
            gemm(transposeA: true, m: depth, n: filters, k: m, a: x, lda: depth, b: dy, ldb: filters, c: dWeight, ldc: filters)
            if let dx {
                gemm(transposeB: true, m: m, n: depth, k: filters, a: dy, lda: filters, b: weight, ldb: filters, c: dx, ldc: depth)
            }
            return
        }
        // dW's image groups (or the depthwise groups, which also give dx), dx's blocks (conv′'s
        // forward pass) and db's sums run as one loop (`Scratch.run`): no barrier between them,
        // and the large dW groups first.
        let biasLoop = columnSumsLoop(dy, rows: batch * pixels, width: filters, scratch: scratch)
        if isDepthwise {
            scratch.run(DepthwiseConvolution(conv: self).backwardLoop(x: x, weight: weight, dy: dy, dx: dx, scratch: scratch), biasLoop)
            scratch.sumPartials(chunks: biasLoop.chunks, width: filters, into: dBias)
            sumGroupPartials(scratch: scratch, into: dWeight)
            return
        }
        let winograd = WinogradConvolution.applies(to: self, training: true) ? WinogradConvolution(conv: self) : nil
        withWeightGradientLoop(x: x, dy: dy, winograd: winograd, scratch: scratch) { weightLoop in
            withInputGradientLoop(dy: dy, weight: weight, dx: dx, scratch: scratch) { inputLoop in
                scratch.run(weightLoop, inputLoop, biasLoop)
            }
        }
        scratch.sumPartials(chunks: biasLoop.chunks, width: filters, into: dBias)
        if let winograd {
            winograd.finishWeightGradient(into: dWeight, scratch: scratch)
        } else {
            sumGroupPartials(scratch: scratch, into: dWeight)
        }
        if let dx, inputGradientConvolution == nil {
            inputGradientColumns(dy: dy, weight: weight, dx: dx, scratch: scratch)
        }
    }

    /// `body` with dW's image groups as a loop into `Scratch.gradientPartials` (Winograd's
    /// F(3×3, 2×2), or windows read in place), or, on the im2col path, with nil once they have run.
    private func withWeightGradientLoop(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, winograd: WinogradConvolution?,
                                        scratch: Scratch, _ body: (ChunkedLoop?) -> Void) {
        if let winograd {
            body(winograd.weightGradientLoop(x: x, dy: dy, scratch: scratch))
        } else if let outputRows = windowBlockRows {
            withWeightGradientWindowsLoop(x: x, dy: dy, outputRows: outputRows, scratch: scratch, body)
        } else {
            weightGradientColumns(x: x, dy: dy, scratch: scratch)
            body(nil)
        }
    }

    /// `body` with dx's blocks as a loop (conv′'s forward pass), or nil without dx or where dx
    /// takes the col2im path (`inputGradientColumns`, run after).
    private func withInputGradientLoop(dy: UnsafePointer<Float>, weight: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>?,
                                       scratch: Scratch, _ body: (ChunkedLoop?) -> Void) {
        guard let dx, let gradient = inputGradientConvolution else { return body(nil) }
        withInputGradientWindowsLoop(gradient, dy: dy, weight: weight, dx: dx, scratch: scratch, body)
    }

    /// Each image group's dW partial from cols expanded block by block: the threads take image
    /// groups dynamically; per block of rows of its group a thread expands cols and adds its
    /// colsᵀ · dy. A grouped convolution does this per channel group, on that group's columns of
    /// dy, dW and cols.
    private func weightGradientColumns(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, scratch: Scratch) {
        let fg = groupFilters, imageGroups = imageGroups
        for channelGroup in 0..<groups {
            scratch.forChunks(imageGroups) { worker, group in
                let images = batch * group / imageGroups..<batch * (group + 1) / imageGroups
                let partial = scratch.gradientPartials + group * gradientGroupFloats + channelGroup * fg
                forEachBlock(of: images.lowerBound * pixels..<images.upperBound * pixels, group: channelGroup, x: x,
                             block: scratch.columnBlock(worker)) { blockRows, cols in
                    gemm(transposeA: true, m: depth, n: fg, k: blockRows.count, a: cols, lda: depth,
                         b: dy + blockRows.lowerBound * filters + channelGroup * fg, ldb: filters,
                         c: partial, ldc: filters, accumulate: blockRows.lowerBound > images.lowerBound * pixels)
                }
            }
        }
    }

    /// dx = col2im(dy · Wᵀ): the threads take image groups dynamically (whole images, so no two
    /// threads add into one image); per block of rows a thread multiplies dy by the packed Wᵀ
    /// into its scratch block and adds that into dx. Per channel group for a grouped convolution.
    private func inputGradientColumns(dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                      dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let fg = groupFilters, imageGroups = imageGroups
        scratch.forParts(batch) { _, images in
            (dx + images.lowerBound * plan.input.count).update(repeating: 0, count: images.count * plan.input.count)
        }
        for channelGroup in 0..<groups {
            withPackedMatrix(transposed: true, k: fg, n: depth, b: weight + channelGroup * fg, ldb: filters) { packedWeightT in
                scratch.forChunks(imageGroups) { worker, group in
                    let rowRange = batch * group / imageGroups * pixels..<batch * (group + 1) / imageGroups * pixels
                    let cols = scratch.columnBlock(worker)
                    var first = rowRange.lowerBound
                    while first < rowRange.upperBound {
                        let blockRows = first..<min(rowRange.upperBound, first + rowsPerBlock)
                        packedWeightT.multiply(m: blockRows.count, a: dy + blockRows.lowerBound * filters + channelGroup * fg,
                                               lda: filters, c: cols, ldc: depth)
                        col2im(cols, rows: blockRows, group: channelGroup, into: dx)
                        first = blockRows.upperBound
                    }
                }
            }
        }
    }

    /// dW[i] = Σ_{q < image groups} partial_q[i], the groups added in order, split across threads
    /// by i; `dWeight` may be the first group's partial itself (Winograd's M, summed in place).
    func sumGroupPartials(scratch: Scratch, into dWeight: UnsafeMutablePointer<Float>) {
        let count = gradientGroupFloats
        scratch.forParts(count) { _, range in
            let out = dWeight + range.lowerBound
            if dWeight != scratch.gradientPartials { out.update(from: scratch.gradientPartials + range.lowerBound, count: range.count) }
            for group in 1..<imageGroups {
                addVector(scratch.gradientPartials + (group &* count &+ range.lowerBound), to: out, count: range.count)
            }
        }
    }

    /// Calls `body(image, h0, w0)` for each row r of `rowRange` (global indices into M) in order:
    /// the offset of r's image in the input (n·H·W·C) and the input position of its window's
    /// top-left tap (ho·s − pt, wo·s − pl), stepping (n, ho, wo) instead of dividing per row.
    @inline(__always)
    func forEachWindow(rows rowRange: Range<Int>, _ body: (_ image: Int, _ h0: Int, _ w0: Int) -> Void) {
        guard !rowRange.isEmpty else { return }
        let ho1 = plan.output.height, wo1 = plan.output.width, imageSize = plan.input.count
        let (rowStride, rowPad) = (rows.stride, rows.padBefore), (columnStride, columnPad) = (columns.stride, columns.padBefore)
        var n = rowRange.lowerBound / pixels
        let p = rowRange.lowerBound % pixels
        var ho = p / wo1, wo = p % wo1
        for _ in rowRange {
            body(n &* imageSize, ho &* rowStride &- rowPad, wo &* columnStride &- columnPad)
            wo &+= 1
            if wo == wo1 {
                wo = 0
                ho &+= 1
                if ho == ho1 { ho = 0; n &+= 1 }
            }
        }
    }

    /// Writes rows `rowRange` (global indices into M) of channel group `group`'s im2col matrix to `cols`.
    func im2col(x: UnsafePointer<Float>, rows rowRange: Range<Int>, group: Int, into cols: UnsafeMutablePointer<Float>) {
        let h = plan.input.height, w = plan.input.width, stride = channels, c = groupChannels
        let kh = rows.taps, kw = columns.taps, rowDilation = rows.dilation, columnDilation = columns.dilation
        let rowCount = kw &* c, whole = groups == 1
        var dst = cols
        forEachWindow(rows: rowRange) { imageOffset, h0, w0 in
            let image = x + (imageOffset &+ group &* c)
            let wholeRows = whole && columnDilation == 1 && w0 >= 0 && w0 &+ kw <= w
            for i in 0..<kh {
                let hi = h0 &+ i &* rowDilation
                if hi < 0 || hi >= h {
                    dst.update(repeating: 0, count: rowCount)
                } else if wholeRows {
                    copyFloats(image + (hi &* w &+ w0) &* stride, to: dst, count: rowCount)
                } else {
                    for j in 0..<kw {
                        let wi = w0 &+ j &* columnDilation
                        if wi < 0 || wi >= w {
                            (dst + j &* c).update(repeating: 0, count: c)
                        } else {
                            copyFloats(image + (hi &* w &+ wi) &* stride, to: dst + j &* c, count: c)
                        }
                    }
                }
                dst += rowCount
            }
        }
    }

    /// The adjoint of `im2col` for rows `rowRange` (global indices into M) of channel group
    /// `group`, whose columns start at `dcols`: dx[n, hi, wi, q·Cg + c] += dcols[row, (i, j, c)].
    /// dx must be zeroed first.
    func col2im(_ dcols: UnsafePointer<Float>, rows rowRange: Range<Int>, group: Int, into dx: UnsafeMutablePointer<Float>) {
        let h = plan.input.height, w = plan.input.width, stride = channels, c = groupChannels
        let kh = rows.taps, kw = columns.taps, rowDilation = rows.dilation, columnDilation = columns.dilation
        var src = dcols
        forEachWindow(rows: rowRange) { imageOffset, h0, w0 in
            let image = dx + (imageOffset &+ group &* c)
            for i in 0..<kh {
                let hi = h0 &+ i &* rowDilation
                if hi >= 0 && hi < h {
                    for j in 0..<kw {
                        let wi = w0 &+ j &* columnDilation
                        if wi >= 0 && wi < w {
                            addVector(src + j &* c, to: image + (hi &* w &+ wi) &* stride, count: c)
                        }
                    }
                }
                src += kw &* c
            }
        }
    }
}
