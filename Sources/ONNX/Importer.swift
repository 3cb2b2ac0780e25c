import Foundation
import NN

/// Builds an `ImportedModel` from a decoded `ModelProto`: walks the nodes in dependency order,
/// folding constants and shape arithmetic, and emitting engine nodes for the rest with their
/// weights re-laid out once (NCHW → NHWC). Shapes are traced at the reference input size.
struct Importer {
    let file: String
    let opset: Int
    let referenceHeight: Int
    let referenceWidth: Int
    var values: [String: ImportedValue] = [:]
    var nodes: [GraphSpec.Node] = []
    var parameters: [String: [ParameterEntry.Role: [Float]]] = [:]
    var pins: [ResolutionPin] = []
    private var usedNames: Set<String> = [GraphSpec.inputName]

    init(file: String, opset: Int, referenceHeight: Int, referenceWidth: Int) {
        self.file = file
        self.opset = opset
        self.referenceHeight = referenceHeight
        self.referenceWidth = referenceWidth
    }

    /// The largest kernel, stride, dilation, padding or image side the importer accepts: far
    /// beyond any classifier, and small enough that no window arithmetic can overflow.
    static let maxWindow = 1 << 16

    /// The node being imported, for error sentences.
    struct Context {
        let proto: Onnx_NodeProto
        let name: String
        let attributes: NodeAttributes

        var op: String { proto.opType }

        func refuse(_ reason: String) -> ONNXError {
            ONNXError.unsupportedNode(op: op, node: name, reason: reason)
        }

        /// Input `i`'s tensor name, nil when absent or empty (an omitted optional input).
        func input(_ i: Int) -> String? {
            i < proto.input.count && !proto.input[i].isEmpty ? proto.input[i] : nil
        }
    }

    // MARK: values

    func value(_ name: String, _ context: Context) throws -> ImportedValue {
        guard let value = values[name] else {
            throw ONNXError.badGraph(reason: "the node \"\(context.name)\" reads \"\(name)\", which no node, initializer or input provides")
        }
        return value
    }

    /// Input `i` as a feature map or vector; a pending `Pad` is refused unless `allowingPad`.
    func feature(_ i: Int, _ context: Context, allowingPad: Bool = false) throws -> Feature {
        guard let name = context.input(i) else { throw context.refuse("its input \(i + 1) is missing") }
        guard case let .feature(feature) = try value(name, context) else {
            throw context.refuse("its input \"\(name)\" is a constant, but reslab imports this operator only on the image's feature maps")
        }
        if feature.pendingPad != nil && !allowingPad {
            throw context.refuse("it reads the output of a Pad node; reslab folds Pad only into a following Conv")
        }
        return feature
    }

    /// Input `i` as a constant known at load, nil when the input is absent.
    func constant(_ i: Int, _ context: Context) throws -> ConstantTensor? {
        guard let name = context.input(i) else { return nil }
        switch try value(name, context) {
        case let .constant(tensor): return tensor
        case .shape: throw context.refuse("its input \"\(name)\" is computed from the input's shape; reslab needs it to be a constant")
        case .feature: throw context.refuse("its input \"\(name)\" is computed from the image; reslab needs it to be a constant (an initializer or Constant)")
        }
    }

    /// Input `i` as a constant that must be there.
    func requiredConstant(_ i: Int, _ context: Context) throws -> ConstantTensor {
        guard let tensor = try constant(i, context) else { throw context.refuse("its input \(i + 1) is missing") }
        return tensor
    }

    /// Input `i` as integers (axes, pads, shapes), nil when absent.
    func integers(_ i: Int, _ context: Context) throws -> [Int]? {
        guard let tensor = try constant(i, context) else { return nil }
        guard let ints = tensor.ints else { throw context.refuse("its input \(i + 1) must be integers") }
        return ints
    }

    // MARK: emitting engine nodes

    /// A node name unique in the graph, from the ONNX output name.
    mutating func uniqueName(_ base: String) -> String {
        var name = base.isEmpty ? "node" : base, k = 2
        while usedNames.contains(name) {
            name = "\(base)#\(k)"
            k += 1
        }
        usedNames.insert(name)
        return name
    }

    /// Adds an engine node reading `inputs`, placed at the reference size; its output keeps the
    /// first input's layout unless `layout` says otherwise.
    mutating func emit(_ base: String, _ layer: LayerSpec, _ inputs: [Feature], _ context: Context,
                       parameters params: [ParameterEntry.Role: [Float]] = [:], layout: Feature.Layout? = nil) throws -> Feature {
        let elementwise = layer == .relu || { if case .activation = layer { return true } else { return false } }()
        if !elementwise, !layer.isDense, inputs.contains(where: \.channelMajor) {
            throw context.refuse("it reads a map flattened in ONNX's (C, H, W) order, which the engine holds as (H, W, C); reslab imports only Gemm or MatMul (and activations) after a Flatten")
        }
        let placement: Placement
        switch layer.place(inputs.map(\.shape), height: referenceHeight, width: referenceWidth) {
        case let .success(p): placement = p
        case let .failure(failure):
            throw context.refuse("at the model's \(referenceHeight)×\(referenceWidth) input, \(layer) \(failure.reason)")
        }
        let name = uniqueName(base)
        nodes.append(GraphSpec.Node(name: name, layer: layer, inputs: inputs.map(\.node)))
        if !params.isEmpty { parameters[name] = params }
        let flat = inputs.allSatisfy(\.flatAtEverySize) || (layer.flattensAtEverySize)
        var result = Feature(node: name, layout: layout ?? inputs[0].layout, shape: placement.output, flatAtEverySize: flat)
        if elementwise {
            result.flattenedMap = inputs[0].flattenedMap
            result.channelMajor = inputs[0].channelMajor
        }
        return result
    }

    mutating func pin(_ node: String, _ kind: ResolutionPin.Kind, _ sentence: String) {
        pins.append(ResolutionPin(node: node, kind: kind, sentence: sentence))
    }

    /// The input size in words, for pin sentences.
    var referenceSize: String { "\(referenceHeight)×\(referenceWidth)" }
}

extension LayerSpec {
    var isDense: Bool {
        if case .dense = self { return true }
        return false
    }

    /// Whether the layer's output is 1×1 whatever it reads.
    var flattensAtEverySize: Bool {
        switch self {
        case .globalAvgPool, .globalMaxPool, .dense, .flatten: return true
        default: return false
        }
    }
}
