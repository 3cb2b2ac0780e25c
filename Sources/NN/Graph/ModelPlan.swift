/// One node of a graph placed at an input size: what it reads and makes, its window, receptive
/// field, what floor and ceil rounding would do, and its cost per image.
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
    /// The input region one output position reads, per axis (`ModelPlan+Field.swift`).
    public var field: ReceptiveField
    /// What floor and ceil rounding (or the layer's fixed rule) make of this node's input; nil
    /// for layers that do not downsample.
    public var rounding: RoundingWhatIf?
    /// Trainable parameters (batch norm's running statistics excluded), as built at this input.
    public var parameters: Int
    /// Forward FLOPs per image (`LayerSpec.forwardFLOPs`).
    public var flops: Int
    /// Bytes of this node's output per image (float32).
    public var activationBytes: Int { 4 * output.count }

    /// The first (for most layers the only) input's shape.
    public var input: FeatureShape { inputShapes[0] }
}

/// Why a model cannot run at an input size: the first node that cannot take what it gets.
public struct PlanFailure: Equatable, Sendable, CustomStringConvertible {
    /// Index of the failing node in the graph.
    public var node: Int
    public var name: String
    public var layer: LayerSpec
    /// Why, and what to do, as the end of a sentence that starts with the node.
    public var reason: String

    /// The one sentence that says the model cannot run here: "Layer 11 (dense 10): dense expects
    /// …" for a list model's layer (nodes named by position), "The node \"sum\" (add): …" for a
    /// named graph node.
    public var sentence: String {
        let subject = name == "\(node + 1)" ? "Layer \(name) (\(layer))" : "The node \"\(name)\" (\(layer))"
        return "\(subject): \(reason)"
    }

    public var description: String { sentence }
}

/// A graph placed at one input size: every node's shapes, windows, receptive field, rounding and
/// cost, in graph order. The one place where what a model makes of an input size is decided;
/// when the model cannot run, `nodes` holds the partial plan up to the failing node and
/// `failure` says why.
public struct ModelPlan: Equatable, Sendable {
    /// The graph placed (all of it, also the nodes after a failure).
    public var graph: GraphSpec
    public var input: FeatureShape
    public var nodes: [NodePlan]
    public var failure: PlanFailure?

    /// Places `graph` at an input of `input` (H, W, C ≥ 1), node by node (`LayerSpec.place`),
    /// stopping at the first node that cannot take its inputs. With `trainingInput`, the model's
    /// parameters are those built at that size: a dense layer whose input size differs from the
    /// one it has there fails (`ModelPlan+Training.swift`), and parameters are counted there.
    public init(graph: GraphSpec, input: FeatureShape, trainingInput: FeatureShape? = nil) {
        self.init(graph: graph, input: input, trained: trainingInput.map { ModelPlan(graph: graph, input: $0) }, explainMinimum: true)
    }

    init(graph: GraphSpec, input: FeatureShape, trained: ModelPlan?, explainMinimum: Bool) {
        precondition(input.height > 0 && input.width > 0 && input.channels > 0, "a plan needs a non-empty input, not \(input)")
        self.graph = graph
        self.input = input
        nodes = []
        failure = nil
        let inputIndices = graph.inputIndices
        for (index, node) in graph.nodes.enumerated() {
            let shapes = inputIndices[index].map { $0 < 0 ? input : nodes[$0].output }
            let fields = inputIndices[index].map { $0 < 0 ? ReceptiveField(image: input) : nodes[$0].field }
            func fail(_ reason: String) {
                failure = PlanFailure(node: index, name: node.name, layer: node.layer, reason: reason)
            }
            switch node.layer.place(shapes, height: input.height, width: input.width) {
            case let .success(placement):
                if let trained, let reason = trainingMismatch(node.layer, index: index, shapes: shapes, trained: trained) {
                    fail(reason)
                    return
                }
                nodes.append(NodePlan(
                    name: node.name, layer: node.layer, inputs: inputIndices[index], inputShapes: shapes,
                    output: placement.output, rows: placement.rows, columns: placement.columns,
                    field: ReceptiveField(merging: fields, shapes: shapes, through: node.layer, placement: placement),
                    rounding: node.layer.roundingWhatIf(height: shapes[0].height, width: shapes[0].width),
                    parameters: node.layer.parameterCount(input: trained.flatMap { $0.nodes.indices.contains(index) ? $0.nodes[index].input : nil } ?? shapes[0]),
                    flops: node.layer.forwardFLOPs(inputs: shapes, placement: placement)))
            case let .failure(failure):
                var reason = failure.reason
                if failure.mapTooSmall {
                    let minimum = explainMinimum ? ModelPlan.smallestSquareInput(graph, channels: input.channels) : nil
                    reason += "; use a larger input\(minimum.map { " (the smallest input this model takes is \($0)×\($0))" } ?? "") or fewer downsampling layers"
                }
                fail(reason + ".")
                return
            }
        }
    }

    /// The model's output shape, or nil when the model cannot run.
    public var output: FeatureShape? { failure == nil ? nodes.last?.output : nil }

    /// Trainable parameters of the placed nodes.
    public var parameters: Int { nodes.reduce(0) { $0 + $1.parameters } }
    /// Forward FLOPs per image of the placed nodes.
    public var flops: Int { nodes.reduce(0) { $0 + $1.flops } }
    /// Bytes of every node's output per image (what training keeps for backward, before reuse).
    public var activationBytes: Int { nodes.reduce(0) { $0 + $1.activationBytes } }

    /// Training FLOPs per image: forward, plus two backward multiplies (input and weight
    /// gradients) per conv/dense node, less the input gradient of a conv/dense node that reads
    /// the image (not computed); other nodes' backward costs as much as their forward.
    public var trainingFlops: Int {
        nodes.reduce(flops) { total, node in
            switch node.layer {
            case .conv, .dense: return total + (node.inputs == [-1] ? node.flops : 2 * node.flops)
            default: return total + node.flops
            }
        }
    }

    /// The smallest square input (up to 4096) at which `graph` runs, by bisection: 13 plans
    /// instead of one per size. Every window's output size, ⌊(n + p − e) / s⌋ + 1 or its ceil
    /// form, never shrinks when its input n grows, so a model whose only limit is its windows
    /// runs at every size above the smallest; nil when it cannot run at 4096.
    static func smallestSquareInput(_ graph: GraphSpec, channels: Int) -> Int? {
        func runs(_ size: Int) -> Bool {
            ModelPlan(graph: graph, input: FeatureShape(height: size, width: size, channels: channels),
                      trained: nil, explainMinimum: false).failure == nil
        }
        guard runs(4096) else { return nil }
        var (fails, fits) = (0, 4096)  // invariant: fits runs; fails does not (0: no image at all)
        while fits - fails > 1 {
            let middle = (fails + fits) / 2
            if runs(middle) { fits = middle } else { fails = middle }
        }
        return fits
    }
}
