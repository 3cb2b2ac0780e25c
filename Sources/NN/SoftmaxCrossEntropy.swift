import Foundation

/// Softmax cross-entropy with label smoothing, averaged over the batch:
///
///     p = softmax(z),  q = (1 − ε)·onehot(label) + ε / K,  loss = −(1/N) Σ_n Σ_k q_k log p_k
///     dz = (p − q) / N
///
/// Computed with the max subtracted (log p_k = z_k − max − log Σ exp(z − max)), in Double.
/// `logits` and `dLogits` are (N × K); dLogits may be nil when only the loss is wanted.
func softmaxCrossEntropy(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int, classes: Int,
                         smoothing: Float, dLogits: UnsafeMutablePointer<Float>?) -> Float {
    let epsilon = Double(smoothing), uniform = epsilon / Double(classes)
    var total = 0.0
    for n in 0..<batch {
        let z = logits + n * classes
        var peak = -Double.infinity
        for k in 0..<classes { peak = max(peak, Double(z[k])) }
        var sum = 0.0
        for k in 0..<classes { sum += exp(Double(z[k]) - peak) }
        let logSum = log(sum)
        let label = Int(labels[n])
        for k in 0..<classes {
            let logP = Double(z[k]) - peak - logSum
            let q = (k == label ? 1 - epsilon : 0) + uniform
            total -= q * logP
            dLogits?[n * classes + k] = Float((exp(logP) - q) / Double(batch))
        }
    }
    return Float(total / Double(batch))
}
