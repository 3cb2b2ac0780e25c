import Foundation
import NN
import Testing
@testable import ONNX

/// Every node case that imports gives ONNX's expected output when the engine runs it (within
/// 1e-4 of the largest expected value). A map output is read through an appended `flatten`
/// (the engine's (H, W, C) order), and compared with the expected (N, C, H, W) transposed.
/// Cases with one output value per example cannot be a `Network` (a classifier of ≥ 2 outputs).
@Suite struct NodeCaseParityTests {
    @Test func importedCasesMatchOnnxsExpectedOutputs() throws {
        let decoder = TensorDecoder(modelFolder: FileManager.default.temporaryDirectory)
        var checked: [String] = [], oneValue: [String] = []
        for c in try NodeCase.all {
            guard case var .success(model) = c.importing() else { continue }
            let x = try decoder.decode(c.inputs[0], name: "input"), y = try decoder.decode(c.outputs[0], name: "output")
            let n = x.dims[0]
            var input = x.floats, expected = y.floats
            if x.dims.count == 4 { input = ParityTests.nhwc(input, n, x.dims[1], x.dims[2], x.dims[3]) }
            if model.outputLayout == .nchw, y.dims.count == 4 {
                expected = ParityTests.nhwc(expected, y.dims[0], y.dims[1], y.dims[2], y.dims[3])
            }
            let perExample = expected.count / n
            // Network is a classifier of at least 2 outputs; a case with one value per example cannot be run.
            guard perExample >= 2 else {
                oneValue.append(c.name)
                continue
            }
            if model.outputLayout != .flat {
                let last = model.graph.nodes.last!.name
                model.graph = try GraphSpec(nodes: model.graph.nodes + [GraphSpec.Node(name: "flattened", layer: .flatten, inputs: [last])])
                model.outputs = perExample
            }
            let shape = x.dims.count == 4 ? [n, x.dims[2], x.dims[3], x.dims[1]] : [n, 1, 1, x.dims[1]]
            let got = try model.network().predict(Tensor(shape: shape, values: input)).values
            #expect(got.count == expected.count, "\(c.name)")
            let scale = max(expected.map(abs).max() ?? 1, 1)
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4 * scale, "\(c.name): max |Δ| \(worst), largest value \(scale)")
            checked.append(c.name)
        }
        #expect(checked.count + oneValue.count == 41)
        print("ONNX node cases run: \(checked.count) checked; one output value, not runnable as a classifier: \(oneValue.joined(separator: ", "))")
    }
}
