import Kernels

/// The backward pass without im2col or col2im, where the forward pass reads windows in place
/// (`windowBlockRows`):
///
///     dW (K × F) = colsᵀ · dy     with cols read from zero-padded bands of x (`multiplyTransposed`)
///     dx = conv′(dy, W′)           for stride 1: a forward pass over dy, windows in place again
///
/// where conv′ is the convolution that carries dy back to x (`inputGradientConvolution`):
///
///     dx[n, h, w, c] = Σ_{i, j, f} dy[n, h + pt − i·dh, w + pl − j·dw, f] · W[i, j, c, f]
///                    = Σ_{i′, j′, f} dy[n, h − p′t + i′·dh, w − p′l + j′·dw, f] · W′[i′, j′, f, c]
///     i′ = kh − 1 − i,  p′t = dh·(kh − 1) − pt  (likewise for columns),  W′[i′, j′, f, c] = W[i, j, c, f]
///
/// so neither the K floats per pixel that im2col writes for dW nor the dcols that col2im adds
/// back into dx are ever stored. The sums are the same as the column path's, in another order
/// (the last bits of dW and dx differ; ConvolutionBlockTests checks both against a direct
/// convolution in Double, GradientCheckTests against finite differences).
extension Convolution {
    /// conv′ (above) when this convolution has stride 1 on both axes, no groups, padding no
    /// larger than its window's reach (p′ ≥ 0) and bands that fit a scratch block; else nil (the
    /// column path computes dx).
    var inputGradientConvolution: Convolution? {
        guard groups == 1, !isPointwise, !isDepthwise,
              let gradientRows = rows.gradientAxis, let gradientColumns = columns.gradientAxis else { return nil }
        let spec = ConvSpec(kernelHeight: rows.taps, kernelWidth: columns.taps, filters: channels, dilation: rows.dilation,
                            padding: .asymmetric(top: gradientRows.padBefore, left: gradientColumns.padBefore,
                                                 bottom: gradientRows.padAfter, right: gradientColumns.padAfter))
        let gradient = Convolution(plan: LayerPlan(spec: .conv(spec), input: plan.output, output: plan.input,
                                                   rows: gradientRows, columns: gradientColumns),
                                   batch: batch)
        return gradient.windowBlockRows == nil ? nil : gradient
    }

    /// The floats one thread's scratch block needs in the backward pass: dW's bands (or im2col
    /// blocks), and conv′'s (Winograd's blocks where it applies to conv′) if larger.
    var trainingColumnBlockFloats: Int {
        let gradient = inputGradientConvolution.map {
            WinogradConvolution.applies(to: $0, training: true) ? WinogradConvolution(conv: $0).blockFloats : $0.columnBlockFloats
        }
        return max(columnBlockFloats, gradient ?? 0)
    }

    /// `body` with dW's image groups as a loop (`Scratch.run`), valid during `body`: each image
    /// group's dW partial (`Scratch.gradientPartials`, summed by `sumGroupPartials`) from windows
    /// read in place; within its group a thread copies the bands of `outputRows` output rows at a
    /// time and adds their colsᵀ · dy.
    func withWeightGradientWindowsLoop<R>(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, outputRows: Int, scratch: Scratch,
                                          _ body: (ChunkedLoop) -> R) -> R {
        let ho = plan.output.height, wo = plan.output.width, imageGroups = imageGroups
        return withTapOffsets { taps in
            body(ChunkedLoop(chunks: imageGroups) { worker, group in
                let first = batch * group / imageGroups * ho, end = batch * (group + 1) / imageGroups * ho
                let partial = scratch.gradientPartials + group * gradientGroupFloats
                var g = first
                while g < end {
                    let g1 = min(end, g + outputRows)
                    withWindows(x: x, outputRows: g..<g1, band: scratch.columnBlock(worker), taps: taps) { windows, pixels in
                        multiplyTransposed(windows: windows, pixels: pixels, n: filters, b: dy + g * wo * filters, ldb: filters,
                                           c: partial, ldc: filters, accumulate: g > first)
                    }
                    g = g1
                }
            })
        }
    }

    /// `body` with dx = conv′(dy, W′) (overwrites dx) as a loop (`Scratch.run`), valid during
    /// `body`, `gradient` being `inputGradientConvolution`: by Winograd's F(2×2, 3×3) where it
    /// applies to conv′ (as a forward pass would). W′ is written into a pooled buffer across the
    /// threads, one tap per chunk, before `body` (it depends on W alone), and transformed or
    /// packed from there.
    func withInputGradientWindowsLoop<R>(_ gradient: Convolution, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                         dx: UnsafeMutablePointer<Float>, scratch: Scratch, _ body: (ChunkedLoop) -> R) -> R {
        let taps = rows.taps * columns.taps, c = channels, f = filters
        return withPooledFloats(taps * c * f) { rotated in
            // W′ (taps·F × C): tap t′ = kh·kw − 1 − t (both axes reversed), rows f, columns c.
            Parallel.forChunks(taps) { _, t in
                let source = weight + t * c * f, target = rotated + (taps - 1 - t) * f * c
                for channel in 0..<c {
                    for filter in 0..<f { target[filter * c + channel] = source[channel * f + filter] }
                }
            }
            if WinogradConvolution.applies(to: gradient, training: true) {
                let winograd = WinogradConvolution(conv: gradient)
                return withUnsafeTemporaryAllocation(of: Float.self, capacity: c) { zeros in
                    zeros.initialize(repeating: 0)
                    return winograd.withTransformedWeights(rotated) {
                        body(winograd.forwardLoop(x: dy, transformed: $0, bias: zeros.baseAddress!, y: dx, clamp: .none, scratch: scratch))
                    }
                }
            }
            return withPackedMatrix(k: taps * f, n: c, b: rotated, ldb: c) { packed in
                gradient.withForwardWindowsLoop(x: dy, packedWeight: packed, epilogue: .none, y: dx,
                                                outputRows: gradient.windowBlockRows!, scratch: scratch, body)
            }
        }
    }
}

extension WindowAxis {
    /// The axis of conv′ (`Convolution.inputGradientConvolution`) for a stride-1 axis: over the
    /// output's `output` pixels, giving the input's `input`, padding p′ = d·(k − 1) − padBefore
    /// before; nil for a stride above 1 or p′ < 0.
    var gradientAxis: WindowAxis? {
        let before = dilation * (taps - 1) - padBefore
        guard stride == 1, before >= 0 else { return nil }
        return WindowAxis(input: output, output: input, taps: taps, stride: 1, dilation: dilation, padBefore: before)
    }
}
