import Kernels

/// Convolution as im2col + GEMM, NHWC:
///
///     cols (M × K), row (n, ho, wo), column (i, j, c) = x[n, ho·s − pt + i·d, wo·s − pl + j·d, c]
///     y (M × F) = cols (M × K) · W (K × F) + b          W is stored (kh, kw, C, F) = (K × F)
///
/// The M rows are cut into blocks of `rowsPerBlock` rows (about `blockFloats` of cols each, so
/// a block stays in the core's L2 cache) and the threads take blocks: each expands its block
/// into its own scratch block and multiplies it at once by the weights, packed once per call.
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
    /// K = kh·kw·C.
    var depth: Int { rows.taps * columns.taps * channels }
    /// Output pixels per image, Ho·Wo.
    var pixels: Int { plan.output.height * plan.output.width }
    /// Rows of cols per block: a multiple of the GEMM's 8-row tile, at least 8.
    var rowsPerBlock: Int { max(8, Convolution.blockFloats / max(1, depth) / 8 * 8) }
    /// Groups of images the weight gradient is summed over.
    var groups: Int { min(batch, Convolution.gradientGroups) }

    /// A 1×1, stride-1, unpadded convolution multiplies x itself: no im2col needed.
    var isPointwise: Bool {
        rows.taps == 1 && columns.taps == 1 && rows.stride == 1 && columns.stride == 1
            && rows.padBefore == 0 && columns.padBefore == 0 && rows.output == rows.input && columns.output == columns.input
    }

    /// The floats one thread's scratch block needs (0 for a pointwise convolution).
    var columnBlockFloats: Int { isPointwise ? 0 : rowsPerBlock * depth }
    /// The floats of one group's weight-gradient partial (0 for a pointwise convolution).
    var gradientGroupFloats: Int { isPointwise ? 0 : depth * filters }

    /// Runs `body(rows, cols)` for the blocks of rows `rowRange` (global indices into M), in
    /// order, with `cols` the block's im2col matrix, expanded into `block`.
    private func forEachBlock(of rowRange: Range<Int>, x: UnsafePointer<Float>, block: UnsafeMutablePointer<Float>,
                              _ body: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        var first = rowRange.lowerBound
        while first < rowRange.upperBound {
            let blockRows = first..<min(rowRange.upperBound, first + rowsPerBlock)
            im2col(x: x, rows: blockRows, into: block)
            body(blockRows, block)
            first = blockRows.upperBound
        }
    }

    /// y = conv(x, W) + b, or max(0, conv(x, W) + b) when `relu` (a following ReLU fused in).
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, relu: Bool, scratch: Scratch) {
        let m = batch * pixels
        let epilogue: GEMMEpilogue = relu ? .biasReLU(bias) : .bias(bias)
        if isPointwise {
            gemm(m: m, n: filters, k: depth, a: x, lda: depth, b: weight, ldb: filters, c: y, ldc: filters, epilogue: epilogue)
            return
        }
        withPackedMatrix(k: depth, n: filters, b: weight, ldb: filters) { packedWeight in
            let blocks = (m + rowsPerBlock - 1) / rowsPerBlock
            scratch.forParts(blocks) { part, blockRange in
                let rowRange = blockRange.lowerBound * rowsPerBlock..<min(m, blockRange.upperBound * rowsPerBlock)
                forEachBlock(of: rowRange, x: x, block: scratch.columnBlock(part)) { blockRows, cols in
                    packedWeight.multiply(m: blockRows.count, a: cols, lda: depth,
                                          c: y + blockRows.lowerBound * filters, ldc: filters, epilogue: epilogue)
                }
            }
        }
    }

    /// From the forward line `y = cols · W + b`:
    ///     dW (K × F) = colsᵀ · dy,   db = Σ_rows dy,   dcols (M × K) = dy · Wᵀ,   dx = col2im(dcols).
    /// `dx` may be nil (the first layer needs no input gradient). Overwrites dW, db and dx.
    ///
    /// Per block of rows, one thread expands cols, adds its colsᵀ · dy to its group's dW partial,
    /// multiplies dy by the packed Wᵀ into the same scratch block and scatters that into dx.
    /// Groups are whole images, so no two threads scatter into one image.
    func backward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                  dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        columnSums(dy, rows: batch * pixels, width: filters, into: dBias, scratch: scratch)
        if isPointwise {
            let m = batch * pixels
            gemm(transposeA: true, m: depth, n: filters, k: m, a: x, lda: depth, b: dy, ldb: filters, c: dWeight, ldc: filters)
            if let dx {
                gemm(transposeB: true, m: m, n: depth, k: filters, a: dy, lda: filters, b: weight, ldb: filters, c: dx, ldc: depth)
            }
            return
        }
        withPackedMatrix(transposed: true, k: filters, n: depth, b: weight, ldb: filters) { packedWeightT in
            scratch.forParts(groups) { part, groupRange in
                for group in groupRange {
                    let images = batch * group / groups..<batch * (group + 1) / groups
                    let partial = scratch.gradientPartials + group * gradientGroupFloats
                    if let dx { (dx + images.lowerBound * plan.input.count).update(repeating: 0, count: images.count * plan.input.count) }
                    forEachBlock(of: images.lowerBound * pixels..<images.upperBound * pixels, x: x, block: scratch.columnBlock(part)) { blockRows, cols in
                        let dyBlock = dy + blockRows.lowerBound * filters
                        gemm(transposeA: true, m: depth, n: filters, k: blockRows.count, a: cols, lda: depth, b: dyBlock, ldb: filters,
                             c: partial, ldc: filters, accumulate: blockRows.lowerBound > images.lowerBound * pixels)
                        guard let dx else { return }
                        packedWeightT.multiply(m: blockRows.count, a: dyBlock, lda: filters, c: cols, ldc: depth)
                        col2im(cols, rows: blockRows, into: dx)
                    }
                }
            }
        }
        sumGroupPartials(scratch: scratch, into: dWeight)
    }

    /// dW[i] = Σ_{g < groups} partial_g[i], the groups added in order, split across threads by i.
    private func sumGroupPartials(scratch: Scratch, into dWeight: UnsafeMutablePointer<Float>) {
        let count = gradientGroupFloats
        scratch.forParts(count) { _, range in
            let out = dWeight + range.lowerBound
            out.update(from: scratch.gradientPartials + range.lowerBound, count: range.count)
            for group in 1..<groups {
                addVector(scratch.gradientPartials + (group &* count &+ range.lowerBound), to: out, count: range.count)
            }
        }
    }

    /// Calls `body(image, h0, w0)` for each row r of `rowRange` (global indices into M) in order:
    /// the offset of r's image in the input (n·H·W·C) and the input position of its window's
    /// top-left tap (ho·s − pt, wo·s − pl), stepping (n, ho, wo) instead of dividing per row.
    @inline(__always)
    private func forEachWindow(rows rowRange: Range<Int>, _ body: (_ image: Int, _ h0: Int, _ w0: Int) -> Void) {
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

    /// Writes rows `rowRange` (global indices into M) of the im2col matrix to `cols`.
    func im2col(x: UnsafePointer<Float>, rows rowRange: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
        let h = plan.input.height, w = plan.input.width, c = channels
        let kh = rows.taps, kw = columns.taps, rowDilation = rows.dilation, columnDilation = columns.dilation
        let rowCount = kw &* c
        var dst = cols
        forEachWindow(rows: rowRange) { imageOffset, h0, w0 in
            let image = x + imageOffset
            let wholeRows = columnDilation == 1 && w0 >= 0 && w0 &+ kw <= w
            for i in 0..<kh {
                let hi = h0 &+ i &* rowDilation
                if hi < 0 || hi >= h {
                    dst.update(repeating: 0, count: rowCount)
                } else if wholeRows {
                    copyFloats(image + (hi &* w &+ w0) &* c, to: dst, count: rowCount)
                } else {
                    for j in 0..<kw {
                        let wi = w0 &+ j &* columnDilation
                        if wi < 0 || wi >= w {
                            (dst + j &* c).update(repeating: 0, count: c)
                        } else {
                            copyFloats(image + (hi &* w &+ wi) &* c, to: dst + j &* c, count: c)
                        }
                    }
                }
                dst += rowCount
            }
        }
    }

    /// The adjoint of `im2col` for rows `rowRange` (global indices into M), whose columns start
    /// at `dcols`: dx[n, hi, wi, c] += dcols[row, (i, j, c)]. dx must be zeroed first.
    func col2im(_ dcols: UnsafePointer<Float>, rows rowRange: Range<Int>, into dx: UnsafeMutablePointer<Float>) {
        let h = plan.input.height, w = plan.input.width, c = channels
        let kh = rows.taps, kw = columns.taps, rowDilation = rows.dilation, columnDilation = columns.dilation
        var src = dcols
        forEachWindow(rows: rowRange) { imageOffset, h0, w0 in
            let image = dx + imageOffset
            for i in 0..<kh {
                let hi = h0 &+ i &* rowDilation
                if hi >= 0 && hi < h {
                    for j in 0..<kw {
                        let wi = w0 &+ j &* columnDilation
                        if wi >= 0 && wi < w {
                            addVector(src + j &* c, to: image + (hi &* w &+ wi) &* c, count: c)
                        }
                    }
                }
                src += kw &* c
            }
        }
    }
}
