import Foundation
import Testing
import TestSupport
@testable import NN

/// Reads `Fixtures/nn/residual_graph/<name>.f32`, written by scripts/reference/nn_reference_graph.py.
private func graphTensor(_ name: String) throws -> [Float] { try fixtureFloats("nn/residual_graph/\(name).f32") }

/// A branched network — identity and 1×1-projection residual blocks, batch norm, a strided
/// depthwise convolution with ReLU6, a squeeze-and-excitation gate (gap, dense, relu, dense,
/// sigmoid, mul), a concat, gap and dense — against an independent float64 numpy forward with
/// central-difference gradients: evaluation logits, training loss and every parameter gradient
/// within 1e-4 relative error. A gradient is compared relative to its tensor's largest
/// reference value, or, for the convolution biases before batch norm (whose gradient is 0 in
/// exact arithmetic: the normalisation removes a constant), to 1% of the network's largest
/// gradient.
@Suite struct ResidualGraphTests {
    struct Index: Decodable {
        struct Node: Decodable { var name: String; var layer: String; var inputs: [String] }
        struct Parameter: Decodable { var node: String; var role: String; var shape: [Int] }
        var nodes: [Node]
        var params: [Parameter]
        var batch: Int
        var size: Int
        var channels: Int
        var classes: Int
    }

    @Test func matchesNumpy() throws {
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("nn/residual_graph/index.json"))))
        let graph = try GraphSpec(nodes: index.nodes.map { GraphSpec.Node(name: $0.name, layer: try LayerSpec(parsing: $0.layer), inputs: $0.inputs) })
        let net = try Network(graph: graph, inputChannels: index.channels, classes: index.classes,
                              trainingHeight: index.size, trainingWidth: index.size, seed: 1)
        #expect(net.parameters.filter(\.role.isTrainable).count == index.params.count)
        for parameter in index.params {
            let role = try #require(ParameterEntry.Role(rawValue: parameter.role))
            try net.setParameters(node: parameter.node, role: role, values: try graphTensor("param.\(parameter.node).\(parameter.role)"))
        }
        let inputs = try Tensor(shape: [index.batch, index.size, index.size, index.channels], values: try graphTensor("input"))
        let labels = try graphTensor("labels").map { Int($0) }

        try expectLogitsAndLoss(net, inputs: inputs, labels: labels, reference: graphTensor)

        let gradients = net.parameterGradients
        let references = try index.params.map { try graphTensor("grad.\($0.node).\($0.role)") }
        let largest = references.flatMap { $0 }.map(abs).max()!
        for (parameter, reference) in zip(index.params, references) {
            let entry = try #require(net.parameters.first { $0.name.hasPrefix(parameter.node + ".") && $0.role.rawValue == parameter.role })
            let ours = Array(gradients[entry.offset..<entry.offset + entry.count])
            let scale = max(reference.map(abs).max()!, 0.01 * largest)
            let error = zip(ours, reference).map { abs($0 - $1) }.max()! / scale
            #expect(error <= 1e-4, "gradient of \(parameter.node).\(parameter.role): relative error \(error)")
        }
    }
}
