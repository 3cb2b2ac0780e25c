import Kernels

/// A depthwise convolution (one input channel and one filter per group, C = F = g), NHWC:
///
///     y[n, ho, wo, c] = b[c] + Σ_{i, j} x[n, ho·s − pt + i·d, wo·s − pl + j·d, c] · W[i, j, 0, c]
///
/// W is stored (kh, kw, 1, C), so a tap's weights are contiguous over channels, as are a pixel's
/// inputs: the kernel runs 16 channels at a time with SIMD16 multiply-adds, output row by output
/// row. With K = kh·kw = 9 multiply-adds per output an im2col + GEMM would spend its time
/// expanding x (9 copies of every input), so the per-channel loop reads x where it lies.
struct DepthwiseConvolution {
    let conv: Convolution

    /// The taps t of `axis` whose input lies inside the input, 0 ≤ start + t·d < input, for a
    /// window starting at `start` (negative in the padding).
    @inline(__always)
    private static func insideTaps(_ axis: WindowAxis, start: Int) -> Range<Int> {
        let first = start >= 0 ? 0 : (-start &+ axis.dilation &- 1) / axis.dilation
        let end = min(axis.taps, (axis.input &- start &+ axis.dilation &- 1) / axis.dilation)
        return first..<max(first, end)
    }

    /// Calls `body(output offset, the in-bounds taps as (i, j) ranges, h0, w0, x offset of the
    /// image)` per output pixel of the images `images`.
    @inline(__always)
    private func forEachOutput(images: Range<Int>,
                               _ body: (_ out: Int, _ taps: (rows: Range<Int>, columns: Range<Int>), _ h0: Int, _ w0: Int, _ image: Int) -> Void) {
        let rows = conv.rows, columns = conv.columns
        let ho1 = conv.plan.output.height, wo1 = conv.plan.output.width, c = conv.channels
        for n in images {
            for ho in 0..<ho1 {
                let h0 = ho &* rows.stride &- rows.padBefore
                let rowTaps = Self.insideTaps(rows, start: h0)
                for wo in 0..<wo1 {
                    let w0 = wo &* columns.stride &- columns.padBefore
                    body(((n &* ho1 &+ ho) &* wo1 &+ wo) &* c, (rowTaps, Self.insideTaps(columns, start: w0)), h0, w0,
                         n &* conv.plan.input.count)
                }
            }
        }
    }

    /// The output columns whose 3×3 window lies inside the input: wo·s − p ≥ 0 and
    /// wo·s − p + 2d < W (empty for any other window).
    private var interiorColumns: Range<Int> {
        let columns = conv.columns, wo1 = conv.plan.output.width
        guard conv.rows.taps == 3 && columns.taps == 3 else { return 0..<0 }
        let first = min(wo1, (columns.padBefore &+ columns.stride &- 1) / columns.stride)
        let last = columns.input &- 1 &- 2 &* columns.dilation &+ columns.padBefore
        return first..<max(first, last < 0 ? 0 : min(wo1, last / columns.stride &+ 1))
    }

    /// y = clamp(depthwise(x, W) + b) (`StoreClamp`: a fused ReLU or clip), output row by output
    /// row. Where a 3×3 window lies inside the input (all but the border pixels), 8 channels at a
    /// time with the 9 taps' weights and the bias held in registers over the row's pixels
    /// (`interiorRow`); the border pixels, any other window, and the channels past the last
    /// multiple of 8 take the per-pixel loop (`pixel`). Both sum bias + Σ x·w in the same order
    /// (taps row by row, one fused multiply-add each), so the result does not depend on which
    /// loop computed it.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, clamp: StoreClamp, scratch: Scratch) {
        let rows = conv.rows, columns = conv.columns, c = conv.channels, w = conv.plan.input.width
        let ho1 = conv.plan.output.height, wo1 = conv.plan.output.width
        let interiorColumns = interiorColumns, blocked = c / 8 * 8
        scratch.forParts(conv.batch) { _, images in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * rows.taps * columns.taps) { offsets in
                let inputOffsets = offsets.baseAddress!, weightOffsets = inputOffsets + rows.taps * columns.taps
                for n in images {
                    let image = n &* conv.plan.input.count
                    for ho in 0..<ho1 {
                        let h0 = ho &* rows.stride &- rows.padBefore
                        let rowTaps = Self.insideTaps(rows, start: h0)
                        let interior = rowTaps.count == 3 ? interiorColumns : 0..<0
                        let yRow = y + (n &* ho1 &+ ho) &* wo1 &* c
                        for wo in 0..<wo1 {
                            let from = interior.contains(wo) ? blocked : 0
                            guard from < c else { continue }
                            // The in-bounds taps' offsets into x and W, row by row.
                            let w0 = wo &* columns.stride &- columns.padBefore
                            var taps = 0
                            for i in rowTaps {
                                let row = (h0 &+ i &* rows.dilation) &* w
                                for j in Self.insideTaps(columns, start: w0) {
                                    inputOffsets[taps] = image &+ (row &+ w0 &+ j &* columns.dilation) &* c
                                    weightOffsets[taps] = (i &* columns.taps &+ j) &* c
                                    taps &+= 1
                                }
                            }
                            pixel(x: x, weight: weight, bias: bias, y: yRow + wo &* c, clamp: clamp,
                                  inputOffsets: inputOffsets, weightOffsets: weightOffsets, taps: taps, from: from)
                        }
                        if !interior.isEmpty {
                            interiorRow(x: x + (image &+ h0 &* w &* c), weight: weight, bias: bias,
                                        y: yRow, clamp: clamp, columns: interior, channels: blocked)
                        }
                    }
                }
            }
        }
    }

    /// One output pixel at `y`, channels `k0..<C`: bias + Σ over its `taps` in-bounds taps of
    /// x[inputOffsets[t] + k] · W[weightOffsets[t] + k], 16 channels at a time (two independent
    /// sums), then 8, then one.
    @inline(__always)
    private func pixel(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                       y: UnsafeMutablePointer<Float>, clamp: StoreClamp,
                       inputOffsets: UnsafePointer<Int>, weightOffsets: UnsafePointer<Int>, taps: Int, from k0: Int) {
        let c = conv.channels
        var k = k0
        while k &+ 16 <= c {
            var acc = load16(bias + k)
            for t in 0..<taps {
                acc = acc.addingProduct(load16(x + (inputOffsets[t] &+ k)), load16(weight + (weightOffsets[t] &+ k)))
            }
            store16(clamp(acc), y + k)
            k &+= 16
        }
        if k &+ 8 <= c {
            var acc = load8(bias + k)
            for t in 0..<taps {
                acc = acc.addingProduct(load8(x + (inputOffsets[t] &+ k)), load8(weight + (weightOffsets[t] &+ k)))
            }
            store8(clamp(acc), y + k)
            k &+= 8
        }
        while k < c {
            var acc = bias[k]
            for t in 0..<taps { acc = acc.addingProduct(x[inputOffsets[t] &+ k], weight[weightOffsets[t] &+ k]) }
            y[k] = clamp(acc)
            k &+= 1
        }
    }

    /// The output columns `columns` of one output row whose 3×3 windows lie inside the input
    /// (rows and columns), channels 0..<`channels` (a multiple of 8): per block of 8 channels the
    /// 9 weights and the bias are loaded once for the row, then each pixel takes 9 loads of x and
    /// 9 multiply-adds. `x` points at the window's top row (h0) of the image.
    @inline(__always)
    private func interiorRow(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                             y: UnsafeMutablePointer<Float>, clamp: StoreClamp, columns: Range<Int>, channels: Int) {
        let c = conv.channels, rowStep = conv.rows.dilation &* conv.plan.input.width &* c
        let tapStep = conv.columns.dilation &* c, pixelStep = conv.columns.stride &* c
        let firstInput = (columns.lowerBound &* conv.columns.stride &- conv.columns.padBefore) &* c
        var k = 0
        while k < channels {
            let w = weight + k
            let w00 = load8(w), w01 = load8(w + c), w02 = load8(w + 2 &* c)
            let w10 = load8(w + 3 &* c), w11 = load8(w + 4 &* c), w12 = load8(w + 5 &* c)
            let w20 = load8(w + 6 &* c), w21 = load8(w + 7 &* c), w22 = load8(w + 8 &* c)
            let b = load8(bias + k)
            var top = x + (firstInput &+ k), out = y + (columns.lowerBound &* c &+ k)
            for _ in columns {
                let middle = top + rowStep, bottom = middle + rowStep
                var acc = b.addingProduct(load8(top), w00)
                acc = acc.addingProduct(load8(top + tapStep), w01)
                acc = acc.addingProduct(load8(top + 2 &* tapStep), w02)
                acc = acc.addingProduct(load8(middle), w10)
                acc = acc.addingProduct(load8(middle + tapStep), w11)
                acc = acc.addingProduct(load8(middle + 2 &* tapStep), w12)
                acc = acc.addingProduct(load8(bottom), w20)
                acc = acc.addingProduct(load8(bottom + tapStep), w21)
                acc = acc.addingProduct(load8(bottom + 2 &* tapStep), w22)
                store8(clamp(acc), out)
                top += pixelStep
                out += c
            }
            k &+= 8
        }
    }

    /// From the forward line `y[…, c] += x[n, hi, wi, c] · W[i, j, 0, c]`:
    ///     dW[i, j, 0, c] += dy[n, ho, wo, c] · x[n, hi, wi, c]      per image group's partial
    ///     dx[n, hi, wi, c] += dy[n, ho, wo, c] · W[i, j, 0, c]
    /// As a loop to run with others (`Scratch.run`), one chunk per image group: its dW partial and
    /// its images' dx, computed alone. The weight gradient is left in the image groups' partials
    /// (`Convolution.sumGroupPartials` adds them in order); dx (may be nil) is overwritten. The
    /// bias gradient is the caller's.
    func backwardLoop(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                      dx: UnsafeMutablePointer<Float>?, scratch: Scratch) -> ChunkedLoop {
        let c = conv.channels, w = conv.plan.input.width, kw = conv.columns.taps
        let rowDilation = conv.rows.dilation, columnDilation = conv.columns.dilation
        let groups = conv.imageGroups, batch = conv.batch, groupFloats = conv.gradientGroupFloats
        return ChunkedLoop(chunks: groups) { _, group in
            let images = batch * group / groups..<batch * (group + 1) / groups
            let dW = scratch.gradientPartials + group &* groupFloats
            dW.update(repeating: 0, count: groupFloats)
            if let dx { (dx + images.lowerBound &* conv.plan.input.count).update(repeating: 0, count: images.count &* conv.plan.input.count) }
            forEachOutput(images: images) { out, taps, h0, w0, image in
                var k = 0
                while k &+ 16 <= c {
                    let grad = load16(dy + (out &+ k))
                    for i in taps.rows {
                        let row = image &+ ((h0 &+ i &* rowDilation) &* w) &* c &+ k
                        for j in taps.columns {
                            let at = row &+ (w0 &+ j &* columnDilation) &* c, tap = (i &* kw &+ j) &* c &+ k
                            store16(load16(dW + tap).addingProduct(grad, load16(x + at)), dW + tap)
                            if let dx { store16(load16(dx + at).addingProduct(grad, load16(weight + tap)), dx + at) }
                        }
                    }
                    k &+= 16
                }
                while k < c {
                    let grad = dy[out &+ k]
                    for i in taps.rows {
                        for j in taps.columns {
                            let at = image &+ ((h0 &+ i &* rowDilation) &* w &+ w0 &+ j &* columnDilation) &* c &+ k
                            let tap = (i &* kw &+ j) &* c &+ k
                            dW[tap] += grad * x[at]
                            dx?[at] += grad * weight[tap]
                        }
                    }
                    k &+= 1
                }
            }
        }
    }
}
