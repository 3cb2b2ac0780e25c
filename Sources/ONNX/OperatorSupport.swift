/// The ONNX operators reslab imports, and the opsets it reads.
public enum OperatorSupport {
    /// Operators of the standard domain (`""` or `"ai.onnx"`) that the importer maps onto the
    /// engine's layers or folds away at load (shape arithmetic, constants, identities).
    public static let operators: [String] = [
        "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
        "Mul", "Add", "Sub", "Div", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
        "ReduceMean", "Flatten", "Reshape", "Gemm", "MatMul", "Transpose", "Softmax", "Squeeze", "Unsqueeze",
        "Pad", "Identity", "Dropout", "Constant", "Shape", "Gather",
    ]

    /// The standard-domain opset versions the importer reads: operator semantics changed in
    /// 11 (Clip bounds, Pad pads as inputs), 13 (Squeeze/Unsqueeze axes as inputs, Softmax axis)
    /// and 18 (ReduceMean axes as an input); each is handled.
    public static let opsets = 11...21

    /// The operators as a sentence fragment.
    static var listed: String { operators.joined(separator: ", ") }
}
