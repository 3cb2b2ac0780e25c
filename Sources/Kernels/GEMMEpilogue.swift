/// What `gemm` applies to each element of C as it stores it, fused into the multiply so that C
/// is written once (a separate bias pass reads and writes all of C again).
public enum GEMMEpilogue {
    case none
    /// C (+)= op(A)·op(B) + bias, with `bias` (N floats) added to every row.
    case bias(UnsafePointer<Float>)
    /// C = max(0, (C +) op(A)·op(B) + bias): a convolution or dense layer followed by ReLU.
    case biasReLU(UnsafePointer<Float>)

    var bias: UnsafePointer<Float>? {
        switch self {
        case .none: nil
        case .bias(let bias), .biasReLU(let bias): bias
        }
    }

    var relu: Bool {
        if case .biasReLU = self { true } else { false }
    }
}
