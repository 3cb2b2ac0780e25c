/// Why an ONNX file could not be imported. Each message is a sentence naming the file, node or
/// tensor and saying what to do.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or is not a valid ONNX protobuf (truncated, corrupted).
    case unreadable(file: String, reason: String)
    /// The model uses an opset outside 11–21 or an operator domain other than the standard one.
    case unsupportedOpset(file: String, reason: String)
    /// A node's operator is not one reslab imports.
    case unsupportedOperator(op: String, node: String)
    /// A node is an importable operator, but with settings or inputs reslab cannot run.
    case unsupportedNode(op: String, node: String, reason: String)
    /// A tensor (initializer or constant) is malformed, too large, or its data is missing.
    case badTensor(name: String, reason: String)
    /// The graph's structure is broken (a cycle, a missing input, no output).
    case badGraph(reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file) is not a readable ONNX model: \(reason)."
        case let .unsupportedOpset(file, reason):
            return "\(file) cannot be imported: \(reason)."
        case let .unsupportedOperator(op, node):
            return "The node \"\(node)\" is a \(op), which reslab does not import; it imports \(OperatorSupport.listed)."
        case let .unsupportedNode(op, node, reason):
            return "The \(op) node \"\(node)\" cannot be imported: \(reason)."
        case let .badTensor(name, reason):
            return "The tensor \"\(name)\" was refused: \(reason)."
        case let .badGraph(reason):
            return "The model's graph cannot be imported: \(reason)."
        }
    }
}
