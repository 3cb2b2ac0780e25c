import Foundation
import TestSupport
@testable import ONNX

/// ONNX's backend node test cases copied by scripts/onnx/copy_node_tests.py: each case's
/// model with its first data set, its weight inputs bound as constants.
struct NodeCase {
    var name: String
    var folder: URL
    var model: Onnx_ModelProto
    /// The data set's inputs and outputs, in the graph's order.
    var inputs: [Onnx_TensorProto]
    var outputs: [Onnx_TensorProto]

    static var all: [NodeCase] {
        get throws {
            let root = URL(fileURLWithPath: Fixtures.path("onnx/node"))
            let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("test_") }.sorted()
            return try names.map { name in
                let folder = root.appendingPathComponent(name)
                func tensors(_ kind: String) throws -> [Onnx_TensorProto] {
                    var list: [Onnx_TensorProto] = []
                    while case let url = folder.appendingPathComponent("\(kind)_0_\(list.count).pb"),
                          FileManager.default.fileExists(atPath: url.path) {
                        list.append(try Onnx_TensorProto(serializedBytes: Data(contentsOf: url)))
                    }
                    return list
                }
                let model = try Onnx_ModelProto(serializedBytes: Data(contentsOf: folder.appendingPathComponent("model.onnx")))
                return NodeCase(name: name, folder: folder, model: model, inputs: try tensors("input"), outputs: try tensors("output"))
            }
        }
    }

    /// The case imported with every input but the first bound as a constant, or the sentence
    /// that refused it.
    func importing() -> Result<ImportedModel, ONNXError> {
        var options = ImportedModel.LoadOptions()
        options.allowsMapOutput = true
        for (info, tensor) in zip(model.graph.input, inputs).dropFirst() { options.boundInputs[info.name] = tensor }
        do {
            return .success(try ImportedModel(serialized: try model.serializedData(), file: name, folder: folder, options: options))
        } catch let error as ONNXError {
            return .failure(error)
        } catch {
            return .failure(.unreadable(file: name, reason: "\(error)"))
        }
    }
}
