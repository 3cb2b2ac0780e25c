import Kernels

/// The forward pass without im2col: the GEMM reads each output pixel's window straight from a
/// zero-padded band of the input (`WindowRows`), so the K = kh·kw·C floats per pixel that im2col
/// writes and reads back are never written. A block is a run of whole output rows, numbered
/// across the batch (row g = n·Ho + oy), of at least `forwardRowsPerBlock` pixels, so that small
/// maps still give the GEMM enough rows to reuse each packed panel of W; for each image it spans,
/// the band holds the input rows its windows read, padded left and right (zero rows where they
/// fall outside the input), about 1/(kh·kw) of the block's im2col matrix:
///
///     segment of output rows oy0..<oy1 of image n:  bandRows = (oy1 − oy0 − 1)·sh + dh·(kh − 1) + 1
///     bandWidth = (Wo − 1)·sw + dw·(kw − 1) + 1
///     A(pixel (oy, ox), tap (i, j), c) = segment[((oy − oy0)·sh + i·dh) · bandWidth + ox·sw + j·dw][c]
///
/// The sums and their order are the GEMM's on the written-out matrix, so the output is the
/// same bit for bit (ConvolutionBlockTests).
extension Convolution {
    /// Output rows (across the batch) per block of the in-place forward pass, or nil when it does
    /// not apply: a grouped, pointwise or depthwise convolution, or the bands of one output row
    /// that do not fit the worker's scratch block (a very wide input). Even 3 channels (an RGB
    /// image: runs of 3 steps per tap) measured faster than im2col: the reference CNN's inference
    /// at 16 px 19,454 and 20,969 img/s against 17,482 and 18,983 with im2col for its first layer.
    var windowBlockRows: Int? {
        guard groups == 1, !isPointwise, !isDepthwise else { return nil }
        let wo = plan.output.width
        var outputRows = max(1, (forwardRowsPerBlock + wo - 1) / wo)
        while outputRows > 1 && bandFloatsBound(outputRows: outputRows) > columnBlockFloats { outputRows -= 1 }
        return bandFloatsBound(outputRows: outputRows) <= columnBlockFloats ? outputRows : nil
    }

    /// The most floats the bands of `outputRows` consecutive output rows take: they span at most
    /// ⌈R / Ho⌉ + 1 images, each segment adding the window's extent to its rows.
    func bandFloatsBound(outputRows: Int) -> Int {
        let segments = (outputRows + plan.output.height - 1) / plan.output.height + 1
        return (outputRows * rows.stride + segments * rows.extent) * bandWidth * channels
    }

    /// Columns of a band: the input columns the windows read, with the padding.
    var bandWidth: Int { (plan.output.width - 1) * columns.stride + columns.extent }

    /// y = conv(x, W) + b (ReLU when `epilogue` says), `outputRows` output rows per block, the
    /// blocks taken by the threads dynamically. With `pooled`, y is a 2×2 max pool's output
    /// instead (Convolution+PooledStore.swift): blocks of `pooledBlockRows` rows are multiplied
    /// into the worker's scratch and pooled from there (with each output's winner in `winners`).
    func forwardWindows(x: UnsafePointer<Float>, packedWeight: PackedMatrix, epilogue: GEMMEpilogue,
                        y: UnsafeMutablePointer<Float>, outputRows: Int, pooled: Bool = false,
                        winners: UnsafeMutablePointer<Float>? = nil, scratch: Scratch) {
        withForwardWindowsLoop(x: x, packedWeight: packedWeight, epilogue: epilogue, y: y, outputRows: outputRows,
                               pooled: pooled, winners: winners, scratch: scratch) { scratch.run($0) }
    }

    /// `body` with `forwardWindows`' blocks as a loop (`Scratch.run`: dx's loop in a backward
    /// pass), valid during `body`.
    func withForwardWindowsLoop<R>(x: UnsafePointer<Float>, packedWeight: PackedMatrix, epilogue: GEMMEpilogue,
                                   y: UnsafeMutablePointer<Float>, outputRows: Int, pooled: Bool = false,
                                   winners: UnsafeMutablePointer<Float>? = nil, scratch: Scratch, _ body: (ChunkedLoop) -> R) -> R {
        let wo = plan.output.width, totalRows = batch * plan.output.height
        let blockRows = pooled ? pooledBlockRows : outputRows
        return withTapOffsets { taps in
            body(ChunkedLoop(chunks: (totalRows + blockRows - 1) / blockRows) { worker, chunk in
                let g0 = chunk * blockRows, g1 = min(totalRows, g0 + blockRows)
                let block = scratch.columnBlock(worker)
                withWindows(x: x, outputRows: g0..<g1, band: block, taps: taps) { windows, pixels in
                    guard pooled else {
                        packedWeight.multiply(windows: windows, m: pixels, c: y + g0 * wo * filters, ldc: filters, epilogue: epilogue)
                        return
                    }
                    let rows = block + pooledRowsOffset
                    packedWeight.multiply(windows: windows, m: pixels, c: rows, ldc: filters, epilogue: epilogue)
                    storePooledRows(rows, outputRows: g0..<g1, into: y, winners: winners)
                }
            })
        }
    }

    /// Runs `body` with each tap's offset from a window's origin in a band (`WindowRows`' tapOffsets).
    func withTapOffsets<R>(_ body: (UnsafeBufferPointer<Int>) -> R) -> R {
        let width = bandWidth, c = channels
        let tapOffsets = (0..<rows.taps).flatMap { i in
            (0..<columns.taps).map { j in (i * rows.dilation * width + j * columns.dilation) * c }
        }
        return tapOffsets.withUnsafeBufferPointer(body)
    }

    /// Copies into `band` the input rows that output rows `outputRows` (numbered across the
    /// batch, g = n·Ho + oy) read, one segment per image they span, and runs `body` with the
    /// windows of their pixels read in place (`WindowRows`, `taps` from `withTapOffsets`) and
    /// the number of pixels. `band` must hold `bandFloatsBound(outputRows: outputRows.count)`.
    func withWindows(x: UnsafePointer<Float>, outputRows: Range<Int>, band: UnsafeMutablePointer<Float>,
                     taps: UnsafeBufferPointer<Int>, _ body: (WindowRows, Int) -> Void) {
        let ho = plan.output.height, wo = plan.output.width, width = bandWidth, c = channels
        let pixels = outputRows.count * wo
        withUnsafeTemporaryAllocation(of: Int.self, capacity: pixels) { offsets in
            var g = outputRows.lowerBound, bandOffset = 0, pixel = 0
            while g < outputRows.upperBound {
                let image = g / ho, oy0 = g % ho, oy1 = min(ho, oy0 + outputRows.upperBound - g)
                bandOffset += copyBand(x + image * plan.input.count, outputRows: oy0..<oy1, into: band + bandOffset)
                let segment = bandOffset - bandFloats(outputRows: oy1 - oy0)
                for oy in oy0..<oy1 {
                    for ox in 0..<wo {
                        offsets[pixel] = segment + ((oy - oy0) * rows.stride * width + ox * columns.stride) * c
                        pixel += 1
                    }
                }
                g += oy1 - oy0
            }
            body(WindowRows(a: band, rowOffsets: offsets.baseAddress!, tapOffsets: taps.baseAddress!, taps: taps.count, channels: c),
                 pixels)
        }
    }

    /// Floats of the band of `outputRows` output rows of one image.
    private func bandFloats(outputRows: Int) -> Int {
        ((outputRows - 1) * rows.stride + rows.extent) * bandWidth * channels
    }

    /// Copies the input rows that output rows `outputRows` of `image` read into `band`, zero
    /// where a window reads padding; returns the floats written (`bandFloats`).
    private func copyBand(_ image: UnsafePointer<Float>, outputRows: Range<Int>, into band: UnsafeMutablePointer<Float>) -> Int {
        let h = plan.input.height, w = plan.input.width, c = channels, width = bandWidth
        let bandRows = (outputRows.count - 1) * rows.stride + rows.extent
        // Band column b reads input column b − padBefore: zeros before column 0 and from column w on.
        let zerosBefore = min(columns.padBefore, width), copied = max(0, min(w, width - columns.padBefore))
        var dst = band
        for r in 0..<bandRows {
            let hi = outputRows.lowerBound * rows.stride - rows.padBefore + r
            if hi < 0 || hi >= h {
                dst.update(repeating: 0, count: width * c)
            } else {
                dst.update(repeating: 0, count: zerosBefore * c)
                copyFloats(image + hi * w * c, to: dst + zerosBefore * c, count: copied * c)
                let after = zerosBefore + copied
                (dst + after * c).update(repeating: 0, count: (width - after) * c)
            }
            dst += width * c
        }
        return bandRows * width * c
    }
}
