import Kernels

/// Convolution as im2col + GEMM, NHWC:
///
///     cols (M × K), row (n, ho, wo), column (i, j, c) = x[n, ho·s − pt + i·d, wo·s − pl + j·d, c]
///     y (M × F) = cols (M × K) · W (K × F) + b          W is stored (kh, kw, C, F) = (K × F)
///
/// The M rows are processed in chunks of whole images so that one chunk of `cols` fits the
/// scratch (`Scratch.columns`); each chunk is expanded in parallel, then multiplied by `gemm`
/// (which splits its rows across the threads itself).
struct Convolution {
    let plan: LayerPlan
    let batch: Int

    var rows: WindowAxis { plan.rows! }
    var columns: WindowAxis { plan.columns! }
    var channels: Int { plan.input.channels }
    var filters: Int { plan.output.channels }
    /// K = kh·kw·C.
    var depth: Int { rows.taps * columns.taps * channels }
    /// Output pixels per image, Ho·Wo.
    var pixels: Int { plan.output.height * plan.output.width }

    /// A 1×1, stride-1, unpadded convolution multiplies x itself: no im2col needed.
    var isPointwise: Bool {
        rows.taps == 1 && columns.taps == 1 && rows.stride == 1 && columns.stride == 1
            && rows.padBefore == 0 && columns.padBefore == 0 && rows.output == rows.input && columns.output == columns.input
    }

    /// Images per chunk so that chunk rows × K fits `capacity` floats (at least one image).
    func imagesPerChunk(capacity: Int) -> Int {
        max(1, min(batch, capacity / max(1, pixels * depth)))
    }

    /// The scratch floats this convolution needs for one chunk.
    static func scratchFloats(_ plan: LayerPlan, batch: Int, budget: Int) -> Int {
        let conv = Convolution(plan: plan, batch: batch)
        return conv.isPointwise ? 0 : min(batch, max(1, budget / max(1, conv.pixels * conv.depth))) * conv.pixels * conv.depth
    }

    /// Runs `body(images, cols)` for consecutive chunks of whole images, with `cols` the chunk's
    /// im2col matrix (or x itself for a pointwise convolution).
    private func forEachChunk(x: UnsafePointer<Float>, scratch: Scratch, _ body: (Range<Int>, UnsafePointer<Float>) -> Void) {
        let imageSize = plan.input.count
        let perChunk = imagesPerChunk(capacity: scratch.columnCapacity)
        var first = 0
        while first < batch {
            let images = first..<min(batch, first + perChunk)
            if isPointwise {
                body(images, x + images.lowerBound * imageSize)
            } else {
                let chunkRows = images.count * pixels
                scratch.forParts(chunkRows) { _, range in
                    im2col(x: x, rows: range.lowerBound + first * pixels..<range.upperBound + first * pixels,
                           into: scratch.columns + range.lowerBound * depth)
                }
                body(images, scratch.columns)
            }
            first = images.upperBound
        }
    }

    /// y = conv(x, W) + b.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        forEachChunk(x: x, scratch: scratch) { images, cols in
            let m = images.count * pixels
            let out = y + images.lowerBound * pixels * filters
            broadcastRows(bias, width: filters, rows: m, into: out)
            gemm(m: m, n: filters, k: depth, a: cols, lda: depth, b: weight, ldb: filters, c: out, ldc: filters, accumulate: true)
        }
    }

    /// From the forward line `y = cols · W + b`:
    ///     dW (K × F) = colsᵀ · dy,   db = Σ_rows dy,   dcols (M × K) = dy · Wᵀ,   dx = col2im(dcols).
    /// `dx` may be nil (the first layer needs no input gradient). Overwrites dW, db and dx.
    func backward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                  dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        columnSums(dy, rows: batch * pixels, width: filters, into: dBias, scratch: scratch)
        if let dx, !isPointwise {
            scratch.forParts(batch * plan.input.count) { _, range in
                (dx + range.lowerBound).update(repeating: 0, count: range.count)
            }
        }
        forEachChunk(x: x, scratch: scratch) { images, cols in
            let m = images.count * pixels
            let dyChunk = dy + images.lowerBound * pixels * filters
            gemm(transposeA: true, m: depth, n: filters, k: m, a: cols, lda: depth, b: dyChunk, ldb: filters,
                 c: dWeight, ldc: filters, accumulate: images.lowerBound > 0)
            guard let dx else { return }
            if isPointwise {
                gemm(transposeB: true, m: m, n: depth, k: filters, a: dyChunk, lda: filters, b: weight, ldb: filters,
                     c: dx + images.lowerBound * plan.input.count, ldc: depth)
                return
            }
            // The chunk's columns are no longer needed: reuse their memory for dcols.
            let dcols = scratch.columns
            gemm(transposeB: true, m: m, n: depth, k: filters, a: dyChunk, lda: filters, b: weight, ldb: filters,
                 c: dcols, ldc: depth)
            if images.count > 1, images.count >= scratch.threadsInUse {
                scratch.forParts(images.count) { _, part in
                    col2im(dcols + part.lowerBound * pixels * depth, images: (part.lowerBound + images.lowerBound)..<(part.upperBound + images.lowerBound),
                           channels: 0..<channels, into: dx)
                }
            } else {
                scratch.forParts(channels) { _, part in
                    col2im(dcols, images: images, channels: part, into: dx)
                }
            }
        }
    }

    /// Writes rows `rowRange` (global indices into M) of the im2col matrix to `cols`.
    func im2col(x: UnsafePointer<Float>, rows rowRange: Range<Int>, into cols: UnsafeMutablePointer<Float>) {
        let h = plan.input.height, w = plan.input.width, c = channels
        let wo = plan.output.width
        let kh = rows.taps, kw = columns.taps
        let rowCount = kw &* c
        var dst = cols
        for r in rowRange {
            let n = r / pixels, p = r % pixels
            let h0 = (p / wo) &* rows.stride &- rows.padBefore
            let w0 = (p % wo) &* columns.stride &- columns.padBefore
            let image = x + n &* plan.input.count
            for i in 0..<kh {
                let hi = h0 &+ i &* rows.dilation
                if hi < 0 || hi >= h {
                    dst.update(repeating: 0, count: rowCount)
                } else if columns.dilation == 1 && w0 >= 0 && w0 &+ kw <= w {
                    copyFloats(image + (hi &* w &+ w0) &* c, to: dst, count: rowCount)
                } else {
                    for j in 0..<kw {
                        let wi = w0 &+ j &* columns.dilation
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

    /// The adjoint of `im2col` for `images` (whose columns start at `dcols`), channels
    /// `channelRange` only: dx[n, hi, wi, c] += dcols[row, (i, j, c)]. dx must be zeroed first.
    func col2im(_ dcols: UnsafePointer<Float>, images: Range<Int>, channels channelRange: Range<Int>,
                into dx: UnsafeMutablePointer<Float>) {
        let h = plan.input.height, w = plan.input.width, c = channels
        let wo = plan.output.width
        let kh = rows.taps, kw = columns.taps
        let c0 = channelRange.lowerBound, count = channelRange.count
        var src = dcols + c0
        for n in images {
            let image = dx + n &* plan.input.count + c0
            for p in 0..<pixels {
                let h0 = (p / wo) &* rows.stride &- rows.padBefore
                let w0 = (p % wo) &* columns.stride &- columns.padBefore
                for i in 0..<kh {
                    let hi = h0 &+ i &* rows.dilation
                    if hi >= 0 && hi < h {
                        for j in 0..<kw {
                            let wi = w0 &+ j &* columns.dilation
                            if wi >= 0 && wi < w {
                                addVector(src + j &* c, to: image + (hi &* w &+ wi) &* c, count: count)
                            }
                        }
                    }
                    src += kw &* c
                }
            }
        }
    }
}
