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

    /// Calls `body(n, ho, wo, x offset of the window's top-left tap, output offset)` per output
    /// pixel of the images `images`, with the in-bounds taps as (i, hi) and (j, wi) ranges.
    @inline(__always)
    private func forEachOutput(images: Range<Int>,
                               _ body: (_ out: Int, _ taps: (rows: Range<Int>, columns: Range<Int>), _ h0: Int, _ w0: Int, _ image: Int) -> Void) {
        let rows = conv.rows, columns = conv.columns
        let ho1 = conv.plan.output.height, wo1 = conv.plan.output.width, c = conv.channels
        for n in images {
            for ho in 0..<ho1 {
                let h0 = ho &* rows.stride &- rows.padBefore
                // Taps i with 0 ≤ h0 + i·d < H.
                let iFirst = h0 >= 0 ? 0 : (-h0 &+ rows.dilation &- 1) / rows.dilation
                let iEnd = min(rows.taps, (rows.input &- h0 &+ rows.dilation &- 1) / rows.dilation)
                for wo in 0..<wo1 {
                    let w0 = wo &* columns.stride &- columns.padBefore
                    let jFirst = w0 >= 0 ? 0 : (-w0 &+ columns.dilation &- 1) / columns.dilation
                    let jEnd = min(columns.taps, (columns.input &- w0 &+ columns.dilation &- 1) / columns.dilation)
                    body(((n &* ho1 &+ ho) &* wo1 &+ wo) &* c, (iFirst..<max(iFirst, iEnd), jFirst..<max(jFirst, jEnd)), h0, w0,
                         n &* conv.plan.input.count)
                }
            }
        }
    }

    /// y = depthwise(x, W) + b, or max(0, …) when `relu`.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                 y: UnsafeMutablePointer<Float>, relu: Bool, scratch: Scratch) {
        let c = conv.channels, w = conv.plan.input.width, kw = conv.columns.taps
        let rowDilation = conv.rows.dilation, columnDilation = conv.columns.dilation
        let lowest: Float = relu ? 0 : -.infinity
        scratch.forParts(conv.batch) { _, images in
            forEachOutput(images: images) { out, taps, h0, w0, image in
                var k = 0
                while k &+ 16 <= c {
                    var acc = load16(bias + k)
                    for i in taps.rows {
                        let row = image &+ ((h0 &+ i &* rowDilation) &* w) &* c &+ k
                        for j in taps.columns {
                            acc = acc.addingProduct(load16(x + (row &+ (w0 &+ j &* columnDilation) &* c)),
                                                    load16(weight + ((i &* kw &+ j) &* c &+ k)))
                        }
                    }
                    store16(acc.replacing(with: lowest, where: acc .< lowest), y + (out &+ k))
                    k &+= 16
                }
                while k < c {
                    var acc = bias[k]
                    for i in taps.rows {
                        for j in taps.columns {
                            acc += x[image &+ ((h0 &+ i &* rowDilation) &* w &+ w0 &+ j &* columnDilation) &* c &+ k]
                                * weight[(i &* kw &+ j) &* c &+ k]
                        }
                    }
                    y[out &+ k] = max(acc, lowest)
                    k &+= 1
                }
            }
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
