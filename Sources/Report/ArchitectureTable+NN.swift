import NN

extension ArchitectureTable {
    /// The table of a model planned at its test size (`tested`), its parameters built at the
    /// training size (`trained`): every row read from NN's `ModelPlan`, which decides shapes,
    /// receptive fields, rounding, costs and where the model cannot run.
    ///
    /// The failing node carries the plan's reason and the nodes after it have no shape. Rows are
    /// named "#9 maxpool 2" for a list model's layers (position, then the text form) and
    /// "sum: add ← b, shortcut" for named graph nodes (inputs listed when a node reads more than,
    /// or other than, the node before it). ReLU, other activations and dropout get no row: they
    /// change no shape and cost no FLOPs worth a row. Downsampling nodes carry what floor and ceil
    /// rounding make of their input.
    public init(tested: ModelPlan, trained: ModelPlan) {
        self.init(trainResolution: trained.input.height, testResolution: tested.input.height, layers: [])
        let graph = tested.graph
        var flat = [Bool](repeating: false, count: graph.nodes.count)
        var rows: [LayerRow] = []
        for (i, node) in graph.nodes.enumerated() {
            let reads = graph.inputIndices[i]
            switch node.layer {
            case .globalAvgPool, .globalMaxPool, .flatten, .dense: flat[i] = true
            default: flat[i] = reads.contains { $0 >= 0 && flat[$0] }
            }
            guard ArchitectureTable.hasRow(node.layer) else { continue }
            let parameters = trained.nodes.indices.contains(i) ? trained.nodes[i].parameters : 0
            let name = ArchitectureTable.rowName(graph, i)
            guard i < tested.nodes.count else {
                let previous = rows.last
                rows.append(LayerRow(layer: name, outputShape: [], receptiveField: previous?.receptiveField ?? 1,
                                     totalStride: previous?.totalStride ?? 1, flops: 0, parameters: parameters,
                                     breaks: tested.failure?.node == i ? tested.failure?.reason : nil))
                continue
            }
            let plan = tested.nodes[i], output = plan.output
            rows.append(LayerRow(layer: name, outputShape: flat[i] ? [output.count] : [output.height, output.width, output.channels],
                                 receptiveField: plan.field.size, totalStride: plan.field.jump,
                                 rowsLost: plan.rounding?.lostRows ?? 0, columnsLost: plan.rounding?.lostColumns ?? 0,
                                 flops: Double(plan.flops), parameters: parameters, rules: RuleOutcome.all(plan.rounding)))
        }
        layers = rows
    }

    /// The table of `graph` trained at `trainResolution` px and fed `testResolution` px images
    /// (square, `channels` deep; both sizes ≥ 1).
    public init(graph: GraphSpec, channels: Int, trainResolution: Int, testResolution: Int) {
        let shape = { (size: Int) in FeatureShape(height: size, width: size, channels: channels) }
        self.init(tested: ModelPlan(graph: graph, input: shape(testResolution), trainingInput: shape(trainResolution)),
                  trained: ModelPlan(graph: graph, input: shape(trainResolution)))
    }

    /// The table of a list model (its chain graph), as `init(graph:…)`.
    public init(spec: ModelSpec, channels: Int, trainResolution: Int, testResolution: Int) {
        self.init(graph: GraphSpec(chain: spec), channels: channels, trainResolution: trainResolution, testResolution: testResolution)
    }

    /// Whether a node of this kind gets a row: ReLU, other activations and dropout do not.
    public static func hasRow(_ layer: LayerSpec) -> Bool {
        switch layer {
        case .relu, .activation, .dropout: return false
        default: return true
        }
    }

    /// "#3 maxpool 2" for a list model's layer; "sum: add ← b, shortcut" for a graph node.
    static func rowName(_ graph: GraphSpec, _ i: Int) -> String {
        let node = graph.nodes[i]
        guard node.name != "\(i + 1)" else { return nodeLabel(graph, i) }
        let previous = i == 0 ? GraphSpec.inputName : graph.nodes[i - 1].name
        return nodeLabel(graph, i) + (node.inputs == [previous] ? "" : " ← " + node.inputs.joined(separator: ", "))
    }

    /// A node as the table's rows name it, without its inputs: "#3 maxpool 2" for a list model's
    /// layer, "10.shortcut.1: conv 1x1 32 stride 2 pad 0" for a named graph node.
    public static func nodeLabel(_ graph: GraphSpec, _ i: Int) -> String {
        let node = graph.nodes[i]
        return node.name == "\(i + 1)" ? "#\(i + 1) \(node.layer)" : "\(node.name): \(node.layer)"
    }
}

extension RuleOutcome {
    /// The outcomes of NN's what-if, the layer's own rule marked used.
    static func all(_ whatIf: RoundingWhatIf?) -> [RuleOutcome] {
        guard let whatIf else { return [] }
        return whatIf.outcomes.map { outcome in
            let axis = { (window: WindowAxis) in Axis(input: window.input, output: window.output, dropped: window.dropped, padded: window.padAfter) }
            return RuleOutcome(rule: outcome.rule, used: outcome.rule == whatIf.used, rows: axis(outcome.rows), columns: axis(outcome.columns))
        }
    }
}
