import Kernels

/// One convolution's or dense layer's weights as an evaluation pass uses them, made once per set
/// of parameters (`Network.evaluationWeights`, kept by `EvaluationTeam`): a dense layer's packed
/// in `gemm`'s passes (`RetainedGEMMOperand`); a convolution's packed for the GEMM or transformed
/// for Winograd (`Convolution.evaluationWeights`), after folding in the batch norm that alone
/// reads the convolution, if any (`ExecutionSchedule.foldedBatchNorm`):
///
///     s_f = γ_f / √(running variance_f + ε),  W'[·, f] = W[·, f] · s_f,
///     b'_f = (b_f − running mean_f) · s_f + β_f
///
/// so that conv(x, W') + b' = γ (conv(x, W) + b − μ) / √(σ² + ε) + β, the batch norm's
/// evaluation output, up to rounding (computed in Double, rounded once to Float).
final class EvaluationWeights {
    /// W' and b' when a batch norm is folded in, else nil (the parameters are used as they are).
    let foldedWeight: UnsafeMutablePointer<Float>?
    let foldedBias: UnsafeMutablePointer<Float>?
    /// The weights (W' when folded) prepared for the convolution's kernel.
    let packed: [RetainedPackedMatrix]
    /// A dense layer's W (K × U) packed, or nil.
    let dense: RetainedGEMMOperand?

    /// `weight` (`count` floats, filter index innermost, as every convolution layout stores it)
    /// and `bias` (F floats) of `conv`; `batchNorm`: the folded batch norm's parameter block
    /// (γ, β, running mean, running variance; F each), or nil.
    init(conv: Convolution, weight: UnsafePointer<Float>, count: Int, bias: UnsafePointer<Float>,
         batchNorm: UnsafePointer<Float>?) {
        let filters = conv.filters
        dense = nil
        if let batchNorm {
            let scale = (0..<filters).map { f in
                Double(batchNorm[f]) / (Double(batchNorm[3 * filters + f]) + Double(BatchNorm.epsilon)).squareRoot()
            }
            let w = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
            for i in 0..<count { w[i] = Float(Double(weight[i]) * scale[i % filters]) }
            let b = UnsafeMutablePointer<Float>.allocate(capacity: filters)
            for f in 0..<filters {
                b[f] = Float((Double(bias[f]) - Double(batchNorm[2 * filters + f])) * scale[f] + Double(batchNorm[filters + f]))
            }
            (foldedWeight, foldedBias) = (w, b)
            packed = conv.evaluationWeights(w)
        } else {
            (foldedWeight, foldedBias) = (nil, nil)
            packed = conv.evaluationWeights(weight)
        }
    }

    /// `weight` (K × U) of a dense layer `dense`.
    init(dense layer: Dense, weight: UnsafePointer<Float>) {
        (foldedWeight, foldedBias, packed) = (nil, nil, [])
        dense = RetainedGEMMOperand(k: layer.inputs, n: layer.units, b: weight, ldb: layer.units)
    }

    deinit {
        foldedWeight?.deallocate()
        foldedBias?.deallocate()
    }
}
