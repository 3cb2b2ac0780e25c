import NN

/// A feature map (or flat feature vector) computed by the engine, as the importer tracks it.
struct Feature {
    /// How ONNX sees the tensor: (N, C, H, W), (N, H, W, C) or (N, K).
    enum Layout { case nchw, nhwc, flat }

    /// The engine node producing it (or `GraphSpec.inputName`).
    var node: String
    var layout: Layout
    /// Its shape (H, W, C) at the reference input size (flat: 1×1×K).
    var shape: FeatureShape
    /// Whether it is 1×1 at every input size (after global pooling or a dense layer).
    var flatAtEverySize = false
    /// For a flat vector made by flattening a map: the map's shape at the reference size, and
    /// whether ONNX's order (C, H, W) differs from the engine's (H, W, C), i.e. the map was NCHW
    /// and larger than 1×1: a dense layer reading it gets its rows permuted at load, and
    /// operations that depend on the order are refused.
    var flattenedMap: FeatureShape? = nil
    var channelMajor = false
    /// Zero padding (top, left, bottom, right) from a `Pad` node, still to be folded into the
    /// convolution that reads this value.
    var pendingPad: [Int]? = nil

    /// The ONNX rank: 4 for maps, 2 for flat vectors.
    var rank: Int { layout == .flat ? 2 : 4 }

    /// The ONNX dimensions at the reference size, batch as 1.
    var dims: [Int] {
        switch layout {
        case .nchw: return [1, shape.channels, shape.height, shape.width]
        case .nhwc: return [1, shape.height, shape.width, shape.channels]
        case .flat: return [1, shape.channels]
        }
    }

    /// The ONNX axis of channels.
    var channelAxis: Int { layout == .nhwc ? 3 : 1 }
}

/// One dimension of a shape tensor that depends on the input: the batch, a number known at
/// load, or a height/width that changes with the input size.
enum SymbolicDim: Equatable {
    case batch
    case known(Int)
    case sizeDependent
}

/// What an ONNX tensor name stands for during import.
enum ImportedValue {
    case feature(Feature)
    case constant(ConstantTensor)
    /// An integer tensor from `Shape` arithmetic: 1-D, or a scalar when `scalar`.
    case shape([SymbolicDim], scalar: Bool)
}
