import Foundation

/// Softmax over the `width` values of each of `rows` rows (a flat feature vector per image):
/// y = e^(x − max) / Σ e^(x − max), summed in Double.
func softmaxForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    for r in 0..<rows {
        let src = x + r &* width, dst = y + r &* width
        var top = -Float.infinity
        for k in 0..<width { top = max(top, src[k]) }
        var total = 0.0
        for k in 0..<width { let e = exp(Double(src[k] - top)); dst[k] = Float(e); total += e }
        for k in 0..<width { dst[k] = Float(Double(dst[k]) / total) }
    }
}

/// From `y = softmax(x)`: dx = y · (dy − Σ_k dy_k y_k) per row. In place when dx == dy (the
/// sum is taken before any dx is written).
func softmaxBackward(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    for r in 0..<rows {
        let at = r &* width
        var dot = 0.0
        for k in 0..<width { dot += Double(dy[at &+ k]) * Double(y[at &+ k]) }
        for k in 0..<width { dx[at &+ k] = y[at &+ k] * (dy[at &+ k] - Float(dot)) }
    }
}

/// y = γ·x + β per channel over the M = N·H·W positions; parameters γ (C) then β (C).
struct ChannelAffine {
    let channels: Int
    let positions: Int

    func forward(x: UnsafePointer<Float>, parameters: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = channels, gamma = parameters, beta = parameters + c
        scratch.forParts(positions) { _, range in
            for r in range {
                for k in 0..<c { y[r &* c &+ k] = gamma[k] * x[r &* c &+ k] + beta[k] }
            }
        }
    }

    /// From `y = γ·x + β`: dγ = Σ dy·x, dβ = Σ dy (over positions), dx = γ·dy (dx may be nil or dy).
    func backward(x: UnsafePointer<Float>, parameters: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                  dParameters: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        let c = channels
        sumPerColumn(rows: positions, width: c, into: dParameters, scratch: scratch,
                     { at, _ in load16(x + at) * load16(dy + at) }, { at, _ in x[at] * dy[at] })
        columnSums(dy, rows: positions, width: c, into: dParameters + c, scratch: scratch)
        guard let dx else { return }
        scratch.forParts(positions) { _, range in
            for r in range {
                for k in 0..<c { dx[r &* c &+ k] = parameters[k] * dy[r &* c &+ k] }
            }
        }
    }
}

/// y[i] = x[i] + B[i mod period] over `count` values: a per-channel bias (period C) or a
/// positional term of a whole map (period h·w·C).
struct PositionalBias {
    let period: Int
    let count: Int

    func forward(x: UnsafePointer<Float>, bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let repeats = count / period
        scratch.forParts(repeats) { _, range in
            for r in range {
                let at = r &* period
                for i in 0..<period { y[at &+ i] = x[at &+ i] + bias[i] }
            }
        }
    }

    /// From `y = x + B`: dB[i] = Σ_r dy[r·period + i], dx = dy (dx may be nil or dy).
    func backward(dy: UnsafePointer<Float>, dBias: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        columnSums(dy, rows: count / period, width: period, into: dBias, scratch: scratch)
        if let dx, UnsafePointer(dx) != dy { dx.update(from: dy, count: count) }
    }
}
