import Foundation
import NN
import SwiftProtobuf

extension ImportedModel {
    /// Options for reading a model.
    public struct LoadOptions: Sendable {
        /// The layout of the image input (ONNX's NCHW unless the model was exported NHWC).
        public var layout: Layout = .nchw
        /// The size to trace shapes at when the file leaves height and width open (the training
        /// size, `--train-size`); a static input size in the file wins.
        public var referenceSize = 224
        /// Graph inputs to treat as constants (ONNX's node test cases pass weights as inputs).
        var boundInputs: [String: Onnx_TensorProto] = [:]
        /// Accept an output that is a feature map (ONNX's node test cases), not class scores.
        var allowsMapOutput = false

        public init() {}
    }

    /// Reads and imports the ONNX model at `path`. Every failure is an `ONNXError` sentence.
    public init(contentsOf path: String, options: LoadOptions = LoadOptions()) throws {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ONNXError.unreadable(file: path, reason: "the file cannot be opened (\(error.localizedDescription))")
        }
        try self.init(serialized: data, file: path, folder: url.deletingLastPathComponent(), options: options)
    }

    /// Imports a serialized ModelProto; `folder` is where external data files are looked up.
    public init(serialized data: Data, file: String, folder: URL, options: LoadOptions = LoadOptions()) throws {
        let proto: Onnx_ModelProto
        do {
            var decoding = BinaryDecodingOptions()
            decoding.messageDepthLimit = 64
            proto = try Onnx_ModelProto(serializedBytes: data, options: decoding)
        } catch {
            throw ONNXError.unreadable(file: file, reason: "the protobuf does not decode (\(error)); the file is truncated, corrupted or not ONNX")
        }
        try self.init(proto: proto, file: file, folder: folder, options: options)
    }

    init(proto: Onnx_ModelProto, file: String, folder: URL, options: LoadOptions) throws {
        guard proto.hasGraph, !proto.graph.node.isEmpty else {
            throw ONNXError.unreadable(file: file, reason: "it holds no graph (no nodes); is it an ONNX model?")
        }
        let opset = try Self.standardOpset(proto, file: file)
        let graph = proto.graph
        let decoder = TensorDecoder(modelFolder: folder)

        var constants: [String: ConstantTensor] = [:]
        for tensor in graph.initializer {
            constants[tensor.name] = try decoder.decode(tensor, name: tensor.name)
        }
        for (name, tensor) in options.boundInputs { constants[name] = try decoder.decode(tensor, name: name) }
        let imageInputs = graph.input.filter { constants[$0.name] == nil }
        guard !imageInputs.isEmpty else {
            throw ONNXError.badGraph(reason: "every input is a weight (an initializer), so there is no image input to feed")
        }
        guard imageInputs.count == 1, let imageInput = imageInputs.first else {
            throw ONNXError.badGraph(reason: "it has \(imageInputs.count) inputs that are not weights (\(imageInputs.map(\.name).joined(separator: ", "))); reslab imports models with one image input")
        }
        input = try Self.imageInput(imageInput, layout: options.layout)
        guard graph.output.count == 1 else {
            throw ONNXError.badGraph(reason: "it has \(graph.output.count) outputs; reslab imports classifiers with one output (the logits)")
        }
        referenceHeight = input.height ?? options.referenceSize
        referenceWidth = input.width ?? options.referenceSize

        var importer = Importer(file: file, opset: opset, referenceHeight: referenceHeight, referenceWidth: referenceWidth)
        for (name, tensor) in constants { importer.values[name] = .constant(tensor) }
        let inputLayout: Feature.Layout = input.layout == .nchw ? .nchw : input.layout == .nhwc ? .nhwc : .flat
        importer.values[imageInput.name] = .feature(Feature(node: GraphSpec.inputName, layout: inputLayout,
            shape: input.shape(height: referenceHeight, width: referenceWidth), flatAtEverySize: input.layout == .flat))

        let names = graph.node.enumerated().map { i, node in node.name.isEmpty ? (node.output.first ?? "node \(i)") : node.name }
        let order = try GraphOrder.sorted(names: names, inputs: graph.node.map(\.input), outputs: graph.node.map(\.output))
        for i in order {
            let node = graph.node[i]
            guard node.domain.isEmpty || node.domain == "ai.onnx" else {
                throw ONNXError.unsupportedOperator(op: "\(node.domain).\(node.opType)", node: names[i])
            }
            try importer.importNode(Importer.Context(proto: node, name: names[i], attributes: NodeAttributes(node)), decoder: decoder)
        }
        let outputName = graph.output[0].name
        guard case let .feature(output)? = importer.values[outputName] else {
            throw ONNXError.badGraph(reason: "its output \"\(outputName)\" is not computed from the image (a constant or a missing tensor)")
        }
        guard output.node != GraphSpec.inputName else {
            throw ONNXError.badGraph(reason: "its output is the input itself; there are no layers to run")
        }
        guard !output.channelMajor else {
            throw ONNXError.badGraph(reason: "its output \"\(outputName)\" is a \(output.flattenedMap?.description ?? "") map flattened in ONNX's (C, H, W) order, which the engine holds as (H, W, C); reslab imports classifiers whose output is (N, classes)")
        }
        guard options.allowsMapOutput || output.layout == .flat || output.shape.isFlat else {
            throw ONNXError.badGraph(reason: "its output \"\(outputName)\" is a \(output.shape) feature map at \(referenceHeight)×\(referenceWidth), not one score per class; reslab imports classifiers whose output is (N, classes)")
        }
        do {
            self.graph = try GraphSpec(nodes: Self.ancestors(of: output.node, in: importer.nodes))
        } catch {
            throw ONNXError.badGraph(reason: "the imported graph is invalid: \(error)")
        }
        let kept = Set(self.graph.nodes.map(\.name))
        parameters = importer.parameters.filter { kept.contains($0.key) }
        pins = importer.pins.filter { kept.contains($0.node) }
        outputs = output.shape.channels
        outputLayout = output.layout == .nchw ? .nchw : output.layout == .nhwc ? .nhwc : .flat
        self.opset = opset
        producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The standard-domain opset, checked to lie in `OperatorSupport.opsets`.
    private static func standardOpset(_ proto: Onnx_ModelProto, file: String) throws -> Int {
        guard let entry = proto.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
            throw ONNXError.unsupportedOpset(file: file, reason: "it declares no standard (ai.onnx) opset")
        }
        let range = OperatorSupport.opsets
        guard range.contains(Int(clamping: entry.version)) else {
            throw ONNXError.unsupportedOpset(file: file, reason: "it uses opset \(entry.version), and reslab reads opsets \(range.lowerBound)–\(range.upperBound); re-export it with opset_version between \(range.lowerBound) and \(range.upperBound) (e.g. 17)")
        }
        return Int(entry.version)
    }

    /// The image input's layout and sizes from its declared type.
    private static func imageInput(_ info: Onnx_ValueInfoProto, layout: Layout) throws -> Input {
        let type = info.type.tensorType
        guard type.elemType == Int32(Onnx_TensorProto.DataType.float.rawValue) else {
            throw ONNXError.badGraph(reason: "its input \"\(info.name)\" is not float32; reslab feeds float32 images")
        }
        let dims: [Int?] = type.shape.dim.map { dim in
            if case let .dimValue(v)? = dim.value, v > 0 { return Int(min(v, Int64(Importer.maxWindow + 1))) }
            return nil
        }
        func refuse(_ reason: String) -> ONNXError { ONNXError.badGraph(reason: "its input \"\(info.name)\" \(reason)") }
        if dims.count == 2 {
            guard let k = dims[1], k <= Importer.maxWindow else { throw refuse("is (N, K) without a fixed K up to \(Importer.maxWindow); give the model a static feature count") }
            return Input(name: info.name, layout: .flat, channels: k, height: nil, width: nil)
        }
        guard dims.count == 4 else {
            throw refuse("has \(dims.count) dimensions; reslab feeds images as 4-D (N, C, H, W) tensors, or (N, H, W, C) with layout nhwc")
        }
        let (c, h, w) = layout == .nhwc ? (dims[3], dims[1], dims[2]) : (dims[1], dims[2], dims[3])
        guard [c, h, w].allSatisfy({ ($0 ?? 0) <= Importer.maxWindow }) else {
            throw refuse("declares a side or channel count above \(Importer.maxWindow); reslab feeds images up to that size")
        }
        guard let channels = c else { throw refuse("leaves the channel count open; reslab needs it fixed (3 for RGB)") }
        return Input(name: info.name, layout: layout == .flat ? .nchw : layout, channels: channels, height: h, width: w)
    }

    /// The nodes the output depends on, in their order (nodes only `Shape` read are dropped).
    private static func ancestors(of output: String, in nodes: [GraphSpec.Node]) -> [GraphSpec.Node] {
        var needed: Set<String> = [output]
        for node in nodes.reversed() where needed.contains(node.name) { needed.formUnion(node.inputs) }
        let kept = nodes.filter { needed.contains($0.name) }
        guard let last = kept.firstIndex(where: { $0.name == output }) else { return kept }
        return Array(kept[...last])
    }
}
