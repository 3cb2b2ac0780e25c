/// The failure that only the training size reveals: a model's parameters are built at its
/// training input, and a layer whose parameter shape depends on its input's size (a dense
/// layer's K inputs) cannot take another size. Global average pooling makes K the channel
/// count whatever the size; flatten (and a fixed average pool before it) ties K to the
/// feature map's area at the training size.
extension ModelPlan {
    /// Why node `index` (`layer` reading `shapes` here) cannot use the parameters it has at the
    /// training size (`trained`), or nil when it can.
    func trainingMismatch(_ layer: LayerSpec, index: Int, shapes: [FeatureShape], trained: ModelPlan) -> String? {
        guard case .dense = layer, trained.nodes.indices.contains(index) else { return nil }
        let expected = trained.nodes[index].input.channels, got = shapes[0].channels
        guard expected != got else { return nil }
        let size = "\(input.height)×\(input.width)", trainedSize = "\(trained.input.height)×\(trained.input.width)"
        // The flatten that fixed K, and, when a fixed average pool fed it, that pool.
        guard let flatten = trained.upstream(of: index, where: { $0.layer == .flatten }), flatten < nodes.count else {
            return "dense expects \(expected) inputs but got \(got) at \(size)."
        }
        let counts = "dense expects \(expected) inputs (\(trained.nodes[flatten].input) at \(trainedSize)) but got \(got) (\(nodes[flatten].input) at \(size))"
        if let pool = trained.upstream(of: flatten, where: { if case .avgPool = $0.layer { return true } else { return false } }),
           trained.nodes[pool].output.isFlat {
            return counts + ": the fixed \(trained.nodes[pool].layer) averages the whole map only at \(trainedSize), and flatten ties the model to that resolution; global average pooling does not."
        }
        return counts + ": flatten ties the model to its training resolution; global average pooling does not."
    }

    /// The nearest node before `index` on its first-input path that satisfies `test`.
    func upstream(of index: Int, where test: (NodePlan) -> Bool) -> Int? {
        var current = nodes[index].inputs.first ?? -1
        while current >= 0 {
            if test(nodes[current]) { return current }
            current = nodes[current].inputs.first ?? -1
        }
        return nil
    }
}
