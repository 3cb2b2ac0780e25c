import Foundation
import Testing
@testable import ONNX

/// Every bad file gets a sentence (pinned here), never a crash, hang or huge allocation.
@Suite struct BadModelTests {
    @Test func theTinyModelImports() throws {
        let model = try ProtoBuilding.importing(ProtoBuilding.tiny)
        #expect(model.graph.nodes.map(\.layer.description) == ["conv 1x1 4 pad valid", "gap"])
        #expect(model.outputs == 4)
    }

    @Test func anUnsupportedOperatorIsNamedWithTheSupportedList() throws {
        var m = ProtoBuilding.tiny
        m.graph.node[1].opType = "LRN"
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "The node \"g_node\" is a LRN, which reslab does not import; it imports \(OperatorSupport.operators.joined(separator: ", ")).")
    }

    @Test func anOpsetOutsideElevenToTwentyOneIsRefused() throws {
        let m = ProtoBuilding.model(ProtoBuilding.tiny.graph.node, initializers: ProtoBuilding.tiny.graph.initializer,
                                    output: "logits", opset: 9)
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "model.onnx cannot be imported: it uses opset 9, and reslab reads opsets 11–21; re-export it with opset_version between 11 and 21 (e.g. 17).")
    }

    @Test func aCycleIsNamed() throws {
        var m = ProtoBuilding.tiny
        m.graph.node[0].input = ["logits", "w"]       // conv reads flatten's output
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "The model's graph cannot be imported: its nodes form a cycle through the node \"c_node\" (its output c feeds back into its own inputs); an ONNX graph must be acyclic.")
    }

    @Test func aTrillionElementTensorIsRefusedBeforeAllocating() throws {
        var m = ProtoBuilding.tiny
        m.graph.initializer[0].dims = [1_000_000, 1_000_000]
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "The tensor \"w\" was refused: it declares a shape of 1000000×1000000, which is negative or more than 268435456 elements (the most reslab reads per tensor).")
    }

    @Test func dataThatDoesNotMatchTheShapeIsRefused() throws {
        var m = ProtoBuilding.tiny
        m.graph.initializer[0].floatData.removeLast()
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "The tensor \"w\" was refused: its shape [4, 3, 1, 1] needs 12 values but it holds 11.")
    }

    @Test func externalDataIsReadFromBesideTheModelAndAMissingFileIsASentence() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-external-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var m = ProtoBuilding.tiny
        let values = m.graph.initializer[0].floatData
        m.graph.initializer[0].floatData = []
        m.graph.initializer[0].dataLocation = .external
        var location = Onnx_StringStringEntryProto()
        location.key = "location"
        location.value = "weights.bin"
        var offset = Onnx_StringStringEntryProto()
        offset.key = "offset"
        offset.value = "4"
        m.graph.initializer[0].externalData = [location, offset]

        let missing = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m, folder: folder) }
        #expect(missing?.description == "The tensor \"w\" was refused: its external data file \(folder.appendingPathComponent("weights.bin").standardizedFileURL.path) is missing or unreadable; copy it beside the model.")

        var bytes = Data([0, 0, 0, 0])
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        try bytes.write(to: folder.appendingPathComponent("weights.bin"))
        let model = try ProtoBuilding.importing(m, folder: folder)
        // ONNX (F=4, C=3, 1, 1) → engine (1, 1, C=3, F=4): engine[c·4 + f] = onnx[f·3 + c]
        let expected: [Float] = (0..<12).map { (i: Int) -> Float in values[(i % 4) * 3 + i / 4] }
        #expect(model.parameters["c"]?[.weight] == expected)

        location.value = "../escape.bin"
        m.graph.initializer[0].externalData = [location]
        let outside = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m, folder: folder) }
        #expect(outside?.description == "The tensor \"w\" was refused: its external data file \"../escape.bin\" lies outside the model's folder \(folder.standardizedFileURL.path); keep the data files beside the model.")
    }

    @Test func aTruncatedFileIsASentence() throws {
        let bytes = try ProtoBuilding.tiny.serializedData()
        let error = #expect(throws: ONNXError.self) {
            try ImportedModel(serialized: bytes.prefix(bytes.count / 2), file: "cut.onnx", folder: FileManager.default.temporaryDirectory)
        }
        #expect(error?.description.hasPrefix("cut.onnx is not a readable ONNX model: the protobuf does not decode") == true)
    }

    @Test func aMissingFileIsASentence() throws {
        let error = #expect(throws: ONNXError.self) { try ImportedModel(contentsOf: "/nonexistent/model.onnx") }
        #expect(error?.description.hasPrefix("/nonexistent/model.onnx is not a readable ONNX model: the file cannot be opened") == true)
    }

    @Test func aBatchNormWhoseFoldedVarianceIsNotPositiveIsRefused() throws {
        let c = 4
        var nodes = ProtoBuilding.tiny.graph.node
        nodes.insert(ProtoBuilding.node("BatchNormalization", ["c", "s", "b", "m", "v"], ["bn"]), at: 1)
        nodes[2].input = ["bn"]
        var epsilon = Onnx_AttributeProto()
        epsilon.name = "epsilon"
        epsilon.type = .float
        epsilon.f = 1e-6
        nodes[1].attribute = [epsilon]
        let ones = [Float](repeating: 1, count: c)
        let m = ProtoBuilding.model(nodes, initializers: ProtoBuilding.tiny.graph.initializer + [
            ProtoBuilding.tensor("s", [c], ones), ProtoBuilding.tensor("b", [c], ones), ProtoBuilding.tensor("m", [c], ones),
            ProtoBuilding.tensor("v", [c], [1, 1, 0, 1])], output: "logits")
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "The BatchNormalization node \"bn_node\" cannot be imported: channel 2's variance 0.0 with ε = 1e-06 is not positive after folding into the engine's ε = 1e-05; the model's statistics are unusable.")
    }

    @Test func aBatchNormAfterAChannelMajorFlattenIsRefused() throws {
        let k = 3 * 8 * 8
        let ones = [Float](repeating: 1, count: k)
        let m = ProtoBuilding.model([ProtoBuilding.node("Flatten", ["input"], ["f"]),
                                     ProtoBuilding.node("BatchNormalization", ["f", "s", "b", "m", "v"], ["logits"])],
                                    initializers: ["s", "b", "m", "v"].map { ProtoBuilding.tensor($0, [k], ones) }, output: "logits")
        let error = #expect(throws: ONNXError.self) { try ProtoBuilding.importing(m) }
        #expect(error?.description == "The BatchNormalization node \"logits_node\" cannot be imported: it reads a map flattened in ONNX's (C, H, W) order, which the engine holds as (H, W, C); reslab imports only Gemm or MatMul (and activations) after a Flatten.")
    }
}
