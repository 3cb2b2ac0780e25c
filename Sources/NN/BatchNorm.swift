import Kernels

/// Batch normalisation over the M = N·H·W positions of each channel (Ioffe & Szegedy 2015):
///
///     training:   μ_c = mean(x), σ²_c = mean((x − μ)²), x̂ = (x − μ) / √(σ² + ε), y = γ x̂ + β,
///                 running ← (1 − momentum)·running + momentum·batch (variance unbiased, M/(M − 1))
///     evaluation: y = γ (x − running mean) / √(running variance + ε) + β
///
/// ε = 1e-5 and momentum = 0.1, PyTorch's defaults.
public struct BatchNorm {
    /// The engine's fixed ε; the ONNX importer folds a model's own ε into the running variance against it.
    public static let epsilon: Float = 1e-5
    static let momentum: Float = 0.1

    let channels: Int
    /// M = N·H·W.
    let positions: Int

    /// Parameter block: γ (C), β (C), running mean (C), running variance (C).
    /// `saved` (2C) receives μ and 1/√(σ² + ε) for backward. Then `clamp` (a following ReLU fused in;
    /// backward never reads y).
    func forward(x: UnsafePointer<Float>, parameters: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>,
                 saved: UnsafeMutablePointer<Float>, training: Bool, clamp: StoreClamp, scratch: Scratch) {
        let c = channels
        let gamma = parameters, beta = parameters + c, runningMean = parameters + 2 * c, runningVariance = parameters + 3 * c
        let mean = saved, inverseStd = saved + c
        if training {
            sumPerColumn(rows: positions, width: c, into: mean, scratch: scratch, { at, _ in load16(x + at) }, { at, _ in x[at] })
            for k in 0..<c { mean[k] /= Float(positions) }
            // Σ (x − μ)², centred for accuracy.
            sumPerColumn(rows: positions, width: c, into: inverseStd, scratch: scratch,
                         { at, k in let d = load16(x + at) - load16(mean + k); return d * d },
                         { at, k in let d = x[at] - mean[k]; return d * d })
            for k in 0..<c {
                let variance = inverseStd[k] / Float(positions)
                inverseStd[k] = 1 / (variance + BatchNorm.epsilon).squareRoot()
                let unbiased = positions > 1 ? variance * Float(positions) / Float(positions - 1) : variance
                runningMean[k] += BatchNorm.momentum * (mean[k] - runningMean[k])
                runningVariance[k] += BatchNorm.momentum * (unbiased - runningVariance[k])
            }
        } else {
            for k in 0..<c {
                mean[k] = runningMean[k]
                inverseStd[k] = 1 / (runningVariance[k] + BatchNorm.epsilon).squareRoot()
            }
        }
        // y = x · scale + shift with scale = γ / σ, shift = β − μ·scale, stored after μ, 1/σ.
        let scale = saved + 2 * c, shift = saved + 3 * c
        for k in 0..<c {
            scale[k] = gamma[k] * inverseStd[k]
            shift[k] = beta[k] - mean[k] * scale[k]
        }
        scratch.forParts(positions) { _, range in
            for r in range {
                let src = x + r &* c, dst = y + r &* c
                for k in 0..<c {
                    dst[k] = clamp(src[k] * scale[k] + shift[k])
                }
            }
        }
    }

    /// From `y = γ x̂ + β`: dβ = Σ dy, dγ = Σ dy·x̂, dx = (γ/σ)/M · (M·dy − dβ − x̂·dγ). Overwrites all.
    func backward(x: UnsafePointer<Float>, parameters: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                  saved: UnsafePointer<Float>, dParameters: UnsafeMutablePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        let c = channels
        let mean = saved, inverseStd = saved + c
        let dGamma = dParameters, dBeta = dParameters + c
        (dParameters + 2 * c).update(repeating: 0, count: 2 * c)
        columnSums(dy, rows: positions, width: c, into: dBeta, scratch: scratch)
        // Σ dy·(x − μ), then dγ = that / σ.
        sumPerColumn(rows: positions, width: c, into: dGamma, scratch: scratch,
                     { at, k in (load16(x + at) - load16(mean + k)) * load16(dy + at) },
                     { at, k in (x[at] - mean[k]) * dy[at] })
        for k in 0..<c { dGamma[k] *= inverseStd[k] }
        guard let dx else { return }
        let m = Float(positions)
        scratch.forParts(positions) { _, range in
            for r in range {
                let src = x + r &* c, grad = dy + r &* c, dst = dx + r &* c
                for k in 0..<c {
                    let xHat = (src[k] - mean[k]) * inverseStd[k]
                    dst[k] = parameters[k] * inverseStd[k] / m * (m * grad[k] - dBeta[k] - xHat * dGamma[k])
                }
            }
        }
    }
}
