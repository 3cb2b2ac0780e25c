/// One node of a graph placed at an input size.
public struct NodePlan: Equatable, Sendable {
    public var name: String
    public var layer: LayerSpec
    /// The nodes it reads, as indices into `ModelPlan.nodes` (−1 for the input image).
    public var inputs: [Int]
    /// The shapes it reads, one per input.
    public var inputShapes: [FeatureShape]
    public var output: FeatureShape
    /// The window along the height (rows) and width (columns); nil for layers without one.
    public var rows: WindowAxis?
    public var columns: WindowAxis?

    /// The first (for most layers the only) input's shape.
    public var input: FeatureShape { inputShapes[0] }
}

/// Why a model cannot run at an input size: the first node that cannot take what it gets.
public struct PlanFailure: Equatable, Sendable {
    /// Index of the failing node in the graph.
    public var node: Int
    /// A sentence naming the node and saying why and what to do.
    public var sentence: String
}

/// A graph placed at one input size: every node's shapes and windows, in graph order. The one
/// place where what a model makes of an input size is decided; when the model cannot run,
/// `nodes` holds the partial plan up to the failing node and `failure` says why.
public struct ModelPlan: Equatable, Sendable {
    public var input: FeatureShape
    public var nodes: [NodePlan]
    public var failure: PlanFailure?

    /// Places `graph` at an input of `input` (H, W, C), node by node (`LayerSpec.place`),
    /// stopping at the first node that cannot take its inputs.
    public init(graph: GraphSpec, input: FeatureShape) {
        self.input = input
        nodes = []
        failure = nil
        let inputIndices = graph.inputIndices
        for (index, node) in graph.nodes.enumerated() {
            let shapes = inputIndices[index].map { $0 < 0 ? input : nodes[$0].output }
            switch node.layer.place(shapes, height: input.height, width: input.width) {
            case let .success(placement):
                nodes.append(NodePlan(name: node.name, layer: node.layer, inputs: inputIndices[index], inputShapes: shapes,
                                      output: placement.output, rows: placement.rows, columns: placement.columns))
            case let .failure(failure):
                let advice = failure.mapTooSmall ? "; use a larger input or fewer downsampling layers" : ""
                self.failure = PlanFailure(node: index, sentence: "The node \"\(node.name)\" (\(node.layer)): \(failure.reason)\(advice).")
                return
            }
        }
    }

    /// The plan of the model's output node, or nil when the model cannot run.
    public var output: FeatureShape? { failure == nil ? nodes.last?.output : nil }
}
