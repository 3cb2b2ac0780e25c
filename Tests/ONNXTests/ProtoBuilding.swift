import Foundation
@testable import ONNX

/// Small ONNX models built in Swift, for the tests of what the importer refuses.
enum ProtoBuilding {
    static func tensor(_ name: String, _ dims: [Int], _ values: [Float]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims.map(Int64.init)
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.floatData = values
        return t
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], ints: [String: [Int]] = [:]) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = outputs.first.map { $0 + "_node" } ?? op
        n.input = inputs
        n.output = outputs
        for (name, values) in ints.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = name
            a.type = .ints
            a.ints = values.map(Int64.init)
            n.attribute.append(a)
        }
        return n
    }

    static func valueInfo(_ name: String, _ dims: [Int?]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        v.type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        v.type.tensorType.shape.dim = dims.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else { dim.dimParam = "n" }
            return dim
        }
        return v
    }

    /// A model reading "input" (N, 3, 8, 8) and writing `output`, with these nodes and initializers.
    static func model(_ nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = [], output: String,
                      opset: Int = 17, outputDims: [Int?] = [nil, 4]) -> Onnx_ModelProto {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var opsetID = Onnx_OperatorSetIdProto()
        opsetID.version = Int64(opset)
        m.opsetImport = [opsetID]
        m.graph.node = nodes
        m.graph.initializer = initializers
        m.graph.input = [valueInfo("input", [nil, 3, 8, 8])]
        m.graph.output = [valueInfo(output, outputDims)]
        return m
    }

    /// conv 1×1 (3 → 4) → GlobalAveragePool → Flatten: a valid classifier of 4 outputs.
    static var tiny: Onnx_ModelProto {
        model([node("Conv", ["input", "w"], ["c"]), node("GlobalAveragePool", ["c"], ["g"]), node("Flatten", ["g"], ["logits"])],
              initializers: [tensor("w", [4, 3, 1, 1], (0..<12).map { Float($0) / 10 })], output: "logits")
    }

    static func importing(_ model: Onnx_ModelProto, folder: URL = FileManager.default.temporaryDirectory) throws -> ImportedModel {
        try ImportedModel(serialized: try model.serializedData(), file: "model.onnx", folder: folder)
    }
}
