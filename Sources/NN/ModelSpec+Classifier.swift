extension ModelSpec {
    /// The complete classifier for `classes` classes: this spec, with `dense classes` appended
    /// when it does not end in a dense layer (`LayerSpec.classifierNeedsDense`). `Network`
    /// builds this model, and plans that must match the network (report, explain) use it too.
    public func classifier(classes: Int) throws -> ModelSpec {
        try LayerSpec.classifierNeedsDense(after: layers.last, classes: classes)
            ? ModelSpec(layers: layers + [.dense(units: classes)]) : self
    }
}

extension GraphSpec {
    /// The complete classifier for `classes` classes: a node "classifier" (`dense classes`)
    /// reading the last node, unless the last node is that dense layer already.
    public func classifier(classes: Int) throws -> GraphSpec {
        guard try LayerSpec.classifierNeedsDense(after: nodes.last?.layer, classes: classes), let last = nodes.last else { return self }
        return try GraphSpec(nodes: nodes + [Node(name: "classifier", layer: .dense(units: classes), inputs: [last.name])])
    }

    /// The same graph with `rounding` on every pooling layer and strided convolution.
    public func withRounding(_ rounding: Rounding) -> GraphSpec {
        var graph = self
        for i in graph.nodes.indices { graph.nodes[i].layer = graph.nodes[i].layer.withRounding(rounding) }
        return graph
    }
}

extension LayerSpec {
    /// Whether a model ending in `last` needs `dense classes` appended to classify `classes`
    /// classes. Refuses fewer than 2 classes and a final `dense U` with U ≠ classes, with a
    /// sentence saying what to write.
    static func classifierNeedsDense(after last: LayerSpec?, classes: Int) throws -> Bool {
        guard classes >= 2 else {
            throw NNError.invalidLayer(layer: "dense \(classes)", reason: "a classifier needs at least 2 classes, not \(classes)")
        }
        guard case let .dense(units)? = last else { return true }
        guard units == classes else {
            throw NNError.invalidLayer(layer: "dense \(units)", reason:
                "the last layer has \(units) outputs but there are \(classes) classes; write \"dense \(classes)\" or leave the last dense layer out to have it added")
        }
        return false
    }
}
