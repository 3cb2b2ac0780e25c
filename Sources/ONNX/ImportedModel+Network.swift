import NN

extension ImportedModel {
    /// The engine network of the imported graph with the imported weights written in, built at
    /// the reference size (the model's static size, or the one it was traced at).
    public func network() throws -> Network {
        let network = try Network(graph: graph, inputChannels: input.channels, classes: outputs,
                                  trainingHeight: input.layout == .flat ? 1 : referenceHeight,
                                  trainingWidth: input.layout == .flat ? 1 : referenceWidth, seed: 0)
        for (node, tensors) in parameters {
            for (role, values) in tensors { try network.setParameters(node: node, role: role, values: values) }
        }
        return network
    }
}
