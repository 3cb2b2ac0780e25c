/// Why a model could not be described, built, run, saved or loaded. Each message is a sentence
/// that names the layer, file or field and says what to do.
public enum NNError: Error, Equatable, CustomStringConvertible {
    /// A layer description such as `conv 3x3 32` could not be parsed.
    case unparsableLayer(text: String, reason: String)
    /// A layer's settings are invalid (a zero stride, a dropout rate of 1.5, …).
    case invalidLayer(layer: String, reason: String)
    /// A tensor handed to the network has the wrong shape or size.
    case badTensor(reason: String)
    /// A label is outside `0..<classes`.
    case badLabel(index: Int, label: Int, classes: Int)
    /// A checkpoint file could not be read, or does not match what was asked for.
    case badCheckpoint(file: String, reason: String)
    /// A graph's nodes do not connect (a name used twice, an input that is no earlier node, a
    /// wrong number of inputs); `node` names the node, when one is to blame.
    case invalidGraph(node: String?, reason: String)
    /// The graph cannot run at an input size: the plan's failing node (`PlanFailure.name`) and
    /// its sentence (`PlanFailure.sentence`), which names the node and says why.
    case cannotRun(node: String, sentence: String)

    public var description: String {
        switch self {
        case let .unparsableLayer(text, reason):
            return "The layer \"\(text)\" could not be read: \(reason)."
        case let .invalidLayer(layer, reason):
            return "The layer \"\(layer)\" is invalid: \(reason)."
        case let .badTensor(reason):
            return "\(reason)"
        case let .badLabel(index, label, classes):
            return "Label \(label) of example \(index) is outside 0..<\(classes): the model has \(classes) classes."
        case let .badCheckpoint(file, reason):
            return "The checkpoint \(file) was refused: \(reason)."
        case let .invalidGraph(node?, reason):
            return "The node \"\(node)\" is invalid: \(reason)."
        case let .invalidGraph(nil, reason):
            return "The model's graph is invalid: \(reason)."
        case let .cannotRun(_, sentence):
            return sentence
        }
    }
}
