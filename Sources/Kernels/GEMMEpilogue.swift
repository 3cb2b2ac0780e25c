/// What `gemm` applies to each element of C as it stores it, fused into the multiply so that C
/// is written once (a separate bias, residual or ReLU pass reads and writes all of C again):
///
///     C = clamp( (C +) op(A)·op(B) + bias + R )
///
/// in that order of addition, R being a residual matrix laid out as C (a convolution's output
/// plus the skip connection it is added to), the clamp that of a fused ReLU or ReLU6 (`StoreClamp`).
public struct GEMMEpilogue {
    /// N floats added to every row, or nil.
    public var bias: UnsafePointer<Float>?
    /// Applied last.
    public var clamp: StoreClamp
    /// Where R is: R(i, j) is `residualDistance` floats from C(i, j) (so a call on a block of
    /// C's rows finds the same rows of R), or nil for no residual.
    public var residualDistance: Int?

    public static var none: GEMMEpilogue { GEMMEpilogue(bias: nil, clamp: .none) }
    /// C (+)= op(A)·op(B) + bias.
    public static func bias(_ bias: UnsafePointer<Float>) -> GEMMEpilogue { GEMMEpilogue(bias: bias, clamp: .none) }
    /// C = max(0, (C +) op(A)·op(B) + bias): a convolution or dense layer followed by ReLU.
    public static func biasReLU(_ bias: UnsafePointer<Float>) -> GEMMEpilogue { GEMMEpilogue(bias: bias, clamp: .relu) }

    public init(bias: UnsafePointer<Float>?, clamp: StoreClamp, residualDistance: Int? = nil) {
        self.bias = bias
        self.clamp = clamp
        self.residualDistance = residualDistance
    }
}
