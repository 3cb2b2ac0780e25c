import SeededRandom

/// Where every node's parameters sit in the arena: tensors in node order, each named
/// "<node name>.<layer>.<suffix>" (for a list model's chain graph "3.conv 3x3 32.weight"), a
/// node's tensors consecutive and each node starting on a 64-byte boundary.
struct ParameterLayout {
    let entries: [ParameterEntry]
    /// nodeEntries[j]: node j's range of `entries`.
    let nodeEntries: [Range<Int>]

    init(_ plan: ModelPlan) {
        self.init(plan.nodes.map { ($0.name, $0.layer, $0.input) })
    }

    init(_ nodes: [(name: String, layer: LayerSpec, input: FeatureShape)]) {
        var entries: [ParameterEntry] = []
        var ranges: [Range<Int>] = []
        var offset = 0
        for node in nodes {
            let first = entries.count
            for (suffix, shape, role) in node.layer.parameterShapes(input: node.input) {
                let entry = ParameterEntry(name: "\(node.name).\(node.layer).\(suffix)", shape: shape, offset: offset, role: role)
                entries.append(entry)
                offset += entry.count
            }
            ranges.append(first..<entries.count)
            offset = (offset + 15) / 16 * 16
        }
        self.entries = entries
        nodeEntries = ranges
    }
}

extension ModelSpec {
    /// The parameter tensors of every layer, placed at `plans` (shapes from the training size),
    /// named as the chain graph's nodes ("1.conv 3x3 32.weight"); see `ParameterLayout`.
    func parameterEntries(_ plans: [LayerPlan]) -> [ParameterEntry] {
        ParameterLayout(plans.enumerated().map { ("\($0.offset + 1)", $0.element.spec, $0.element.input) }).entries
    }
}

extension ParameterArena {
    /// Initialises every tensor from one generator, in entry order:
    /// - convolution weights: He uniform (He et al. 2015), U(−√(6/fanIn), √(6/fanIn)),
    ///   fanIn = kh·kw·C/groups: the variance 2/fanIn of He's normal, drawn without
    ///   transcendental functions so the same seed gives bit-identical weights on every machine;
    /// - dense weights: Glorot uniform (Glorot & Bengio 2010), U(−√(6/(fanIn + fanOut)), …);
    /// - biases, shifts and running means 0; scales and running variances 1.
    func initialize(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for entry in entries {
            let values = self.values + entry.offset
            switch entry.role {
            case .weight:
                let fanIn = entry.shape.dropLast().reduce(1, *), fanOut = entry.shape.last!
                let isDense = entry.shape.count == 2
                let limit = isDense ? (6 / Float(fanIn + fanOut)).squareRoot() : (6 / Float(fanIn)).squareRoot()
                for i in 0..<entry.count { values[i] = generator.uniform(limit: limit) }
            case .bias, .shift, .runningMean:
                values.update(repeating: 0, count: entry.count)
            case .scale, .runningVariance:
                values.update(repeating: 1, count: entry.count)
            }
        }
    }
}

extension Network {
    /// Writes `values` into node `node`'s tensor of role `role` (for importers such as ONNX).
    /// Layouts, row-major: conv weight (kh, kw, C/groups, F) — ONNX's (F, C/groups, kh, kw)
    /// transposed —, conv bias (F); dense weight (K, U) — the transpose of ONNX Gemm's (U, K)
    /// with transB —, dense bias (U); batch norm scale, shift, runningMean, runningVariance (C
    /// each); affine scale γ and shift β (C each); bias (h, w, C). Throws a sentence when the
    /// node or the tensor does not exist or the count differs.
    public func setParameters(node: String, role: ParameterEntry.Role, values: [Float]) throws {
        guard let j = graph.nodes.firstIndex(where: { $0.name == node }) else {
            throw NNError.invalidGraph(node: node, reason: "there is no node of that name, so its parameters cannot be set")
        }
        guard let e = nodeEntries[j].first(where: { arena.entries[$0].role == role }) else {
            throw NNError.invalidGraph(node: node, reason: "\(graph.nodes[j].layer) has no \(role.rawValue) parameter; it has \(nodeEntries[j].map { arena.entries[$0].role.rawValue }.joined(separator: ", ").ifEmpty("none"))")
        }
        let entry = arena.entries[e]
        guard values.count == entry.count else {
            throw NNError.invalidGraph(node: node, reason: "its \(role.rawValue) has shape \(entry.shape.map(String.init).joined(separator: "×")) (\(entry.count) values) but \(values.count) values were given")
        }
        (arena.values + entry.offset).update(from: values, count: entry.count)
    }

    /// The values of node `node`'s tensor of role `role`, or nil when there is none.
    public func parameters(node: String, role: ParameterEntry.Role) -> [Float]? {
        guard let j = graph.nodes.firstIndex(where: { $0.name == node }),
              let e = nodeEntries[j].first(where: { arena.entries[$0].role == role }) else { return nil }
        let entry = arena.entries[e]
        return Array(UnsafeBufferPointer(start: arena.values + entry.offset, count: entry.count))
    }
}

private extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
