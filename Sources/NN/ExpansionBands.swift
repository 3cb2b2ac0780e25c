import Kernels

/// A pointwise convolution (MobileNetV2's expansion, C → E channels) and the depthwise
/// convolution that alone reads its output, evaluated together band by band (NHWC):
///
///     e[n, h, w, :] = clampₑ(x[n, h, w, :] · Wₑ + bₑ)                     (H × W × E per image)
///     y[n, ho, wo, c] = clamp_d(b_d[c] + Σ_{i,j} e[n, ho·s − p + i·d, wo·s − p′ + j·d, c] · W_d[i, j, c])
///
/// The expanded tensor e is the largest of an inverted-residual block (MobileNetV2 at 224 px:
/// 112×112×96 floats, 4.8 MB an image, against a Zen 3 core's 512 KB L2): written whole by the
/// pointwise GEMM and read back by the depthwise kernel, it went to memory and back. Here each
/// band of `outputRows` output rows needs input rows `inputRows(for:)` of e, and only those
/// live, in the worker's scratch block (`bufferFloats` ≤ `bandFloats`, so they stay in L2): the
/// rows the previous band already computed (a 3×3 window's overlap: 2 rows at stride 1, 1 at
/// stride 2) are moved to the buffer's top, the GEMM computes the new ones, and the depthwise
/// kernel runs on the band as on a map of those rows (`bandPlan`: its window's padding before
/// the band's first row, none elsewhere). Every row of e is computed once.
///
/// Each value of e is the GEMM's sum for its row, whatever rows the call covers, and each output
/// the depthwise kernel's sum over the same taps, so y equals the two layers run one after the
/// other bit for bit (ExpansionBandsTests). Evaluation only (`ExecutionSchedule.bandedFrom`).
struct ExpansionBands {
    let expansion: Convolution
    let depthwise: Convolution
    /// The most floats of e a band holds (256 KB: half a Zen 3 core's L2).
    var bandFloats = ExpansionBands.defaultBandFloats

    static let defaultBandFloats = 1 << 16

    /// The schedule bands an expansion whose output for one image is larger than this (1 MB).
    /// Timed per node in MobileNetV2 at 224 px (one thread, against the two layers one after the
    /// other): 112×112×96 and 56×56×144 took 25% and 3–6% less time in bands; 28×28×192 and
    /// 14×14×576 (0.6 and 0.45 MB, whose weights each band reads again) 3% more.
    static let minimumExpandedFloats = 1 << 18

    /// Whether `expansion` feeding `depthwise` can run as bands: a pointwise convolution whose
    /// output (after its store's clamp) the depthwise convolution reads.
    static func applies(expansion: Convolution, depthwise: Convolution) -> Bool {
        expansion.isPointwise && depthwise.isDepthwise && expansion.plan.output == depthwise.plan.input
            && expansion.plan.output.count > minimumExpandedFloats
    }

    /// Floats of one row of e (W × E).
    private var rowFloats: Int { depthwise.plan.input.width * depthwise.channels }

    /// Output rows per band: the most whose input rows fit in `bandFloats`, at least one.
    var outputRows: Int {
        let rows = depthwise.rows
        var count = rows.output
        while count > 1 && ((count - 1) * rows.stride + rows.extent) * rowFloats > bandFloats { count -= 1 }
        return count
    }

    /// Floats of the band buffer (one per worker, `Scratch.columnBlock`).
    var bufferFloats: Int { min(depthwise.rows.input, (outputRows - 1) * depthwise.rows.stride + depthwise.rows.extent) * rowFloats }

    /// The rows of e the windows of output rows `outputs` read, within the map.
    func inputRows(for outputs: Range<Int>) -> Range<Int> {
        let rows = depthwise.rows
        let first = outputs.lowerBound * rows.stride - rows.padBefore
        let end = (outputs.upperBound - 1) * rows.stride - rows.padBefore + rows.extent
        return max(0, first)..<min(rows.input, end)
    }

    /// The depthwise convolution of one image's output rows `outputs` over e's rows `inputs`
    /// (`inputRows(for: outputs)`) held as a map of their own: the window's first row is
    /// `outputs.lowerBound·s − p` of the image, so the band's padding before is what of it lies
    /// above `inputs`.
    func bandPlan(outputs: Range<Int>, inputs: Range<Int>) -> Convolution {
        var plan = depthwise.plan
        plan.input.height = inputs.count
        plan.output.height = outputs.count
        plan.rows!.input = inputs.count
        plan.rows!.output = outputs.count
        plan.rows!.padBefore = inputs.lowerBound - (outputs.lowerBound * depthwise.rows.stride - depthwise.rows.padBefore)
        return Convolution(plan: plan, batch: 1)
    }

    /// y (the depthwise output, batch × Ho × Wo × E) from x (the expansion's input, batch × H ×
    /// W × C): the expansion's packed weights, bias and store clamp, then the depthwise's. The
    /// images are shared among the workers, each with its own band buffer.
    func forward(x: UnsafePointer<Float>, expansionWeights: PackedMatrix, expansionBias: UnsafePointer<Float>,
                 expansionClamp: StoreClamp, depthwiseWeight: UnsafePointer<Float>, depthwiseBias: UnsafePointer<Float>,
                 depthwiseClamp: StoreClamp, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        precondition(bufferFloats <= scratch.columnBlockFloats, "the band buffer must fit the worker's scratch block")
        let width = depthwise.plan.input.width, channels = expansion.channels, rowFloats = rowFloats
        let outputHeight = depthwise.rows.output, outputImage = depthwise.plan.output.count, step = outputRows
        let epilogue = GEMMEpilogue(bias: expansionBias, clamp: expansionClamp)
        scratch.forParts(expansion.batch) { worker, images in
            let band = scratch.columnBlock(worker)
            for n in images {
                let image = x + n * expansion.plan.input.count
                var held = 0..<0
                for first in stride(from: 0, to: outputHeight, by: step) {
                    let outputs = first..<min(outputHeight, first + step), inputs = inputRows(for: outputs)
                    // Rows the last band computed move to the top; the GEMM adds the others.
                    let kept = inputs.clamped(to: held)
                    if !kept.isEmpty && kept.lowerBound > held.lowerBound {
                        UnsafeMutableRawPointer(band).copyMemory(from: band + (kept.lowerBound - held.lowerBound) * rowFloats,
                                                                 byteCount: kept.count * rowFloats * MemoryLayout<Float>.size)
                    }
                    let fresh = (kept.isEmpty ? inputs.lowerBound : kept.upperBound)..<inputs.upperBound
                    if !fresh.isEmpty {
                        expansionWeights.multiply(m: fresh.count * width, a: image + fresh.lowerBound * width * channels, lda: channels,
                                                  c: band + (fresh.lowerBound - inputs.lowerBound) * rowFloats,
                                                  ldc: depthwise.channels, epilogue: epilogue)
                    }
                    held = inputs
                    DepthwiseConvolution(conv: bandPlan(outputs: outputs, inputs: inputs)).forward(
                        x: band, weight: depthwiseWeight, bias: depthwiseBias,
                        y: y + n * outputImage + outputs.lowerBound * depthwise.plan.output.width * depthwise.channels,
                        clamp: depthwiseClamp, scratch: scratch)
                }
            }
        }
    }
}
