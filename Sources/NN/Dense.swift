import Kernels

/// Fully connected layer on flat features: y (N × U) = x (N × K) · W (K × U) + b.
struct Dense {
    let inputs: Int
    let units: Int
    let batch: Int

    /// `packed`: W packed once (`EvaluationWeights`, an evaluation) instead of at this call; the
    /// same result bit for bit.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                 packed: RetainedGEMMOperand? = nil) {
        broadcastRows(bias, width: units, rows: batch, into: y)
        if let packed {
            packed.multiply(m: batch, a: x, lda: inputs, c: y, ldc: units, accumulate: true)
        } else {
            gemm(m: batch, n: units, k: inputs, a: x, lda: inputs, b: weight, ldb: units, c: y, ldc: units, accumulate: true)
        }
    }

    /// From `y = x · W + b`: dW = xᵀ · dy, db = Σ_n dy, dx = dy · Wᵀ (dx may be nil). Overwrites all.
    func backward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                  dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
                  dx: UnsafeMutablePointer<Float>?, scratch: Scratch) {
        gemm(transposeA: true, m: inputs, n: units, k: batch, a: x, lda: inputs, b: dy, ldb: units, c: dWeight, ldc: units)
        columnSums(dy, rows: batch, width: units, into: dBias, scratch: scratch)
        if let dx {
            gemm(transposeB: true, m: batch, n: inputs, k: units, a: dy, lda: units, b: weight, ldb: units, c: dx, ldc: inputs)
        }
    }
}
