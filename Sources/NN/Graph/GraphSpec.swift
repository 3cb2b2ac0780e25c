/// A model as a directed acyclic graph of named nodes, each a layer reading the outputs of
/// earlier nodes (or the image, `GraphSpec.inputName`):
///
///     stem   conv 3x3 16           ← input
///     a      conv 3x3 16           ← stem
///     b      conv 3x3 16           ← a
///     sum    add                   ← b, stem          (a residual block)
///     head   gap                   ← sum
///
/// Nodes are kept in an order where every node comes after the nodes it reads, so the graph
/// has no cycle by construction; the last node is the model's output. A list model
/// (`ModelSpec`) is the chain graph whose node l + 1 reads node l.
public struct GraphSpec: Equatable, Sendable {
    /// One node: a layer, its name, and the names of the nodes whose outputs it reads, in order.
    public struct Node: Equatable, Sendable {
        public var name: String
        public var layer: LayerSpec
        public var inputs: [String]

        public init(name: String, layer: LayerSpec, inputs: [String]) {
            self.name = name
            self.layer = layer
            self.inputs = inputs
        }
    }

    /// The name by which a node reads the model's input image.
    public static let inputName = "input"

    public var nodes: [Node]

    /// The graph of `nodes`, checked by `validate()`.
    public init(nodes: [Node]) throws {
        self.nodes = nodes
        try validate()
    }

    /// The chain graph of a list model: node l (named "l + 1", as the list engine numbers its
    /// layers) reads node l − 1, the first node reads the input.
    public init(chain spec: ModelSpec) {
        nodes = spec.layers.enumerated().map { index, layer in
            Node(name: "\(index + 1)", layer: layer, inputs: [index == 0 ? GraphSpec.inputName : "\(index)"])
        }
    }

    /// For each node, the indices of the nodes it reads (−1 for the input image).
    public var inputIndices: [[Int]] {
        var index = [GraphSpec.inputName: -1]
        for (i, node) in nodes.enumerated() { index[node.name] = i }
        return nodes.map { $0.inputs.map { index[$0]! } }
    }

    /// For each node, how many later nodes read its output (0 for the output node and for
    /// nodes nothing reads).
    public var consumerCounts: [Int] {
        var counts = [Int](repeating: 0, count: nodes.count)
        for inputs in inputIndices { for i in inputs where i >= 0 { counts[i] += 1 } }
        return counts
    }

    /// Checks the graph: at least one node; unique, non-empty names other than "input"; every
    /// input names the input or an earlier node (so there is no cycle); each layer gets as many
    /// inputs as it takes (`LayerSpec.arity`) and has valid settings; every node but the last
    /// is read by some node.
    public func validate() throws {
        guard !nodes.isEmpty else { throw NNError.invalidGraph(node: nil, reason: "the model has no layers; give it at least one") }
        var seen: Set<String> = [GraphSpec.inputName]
        for node in nodes {
            guard !node.name.isEmpty else {
                throw NNError.invalidGraph(node: nil, reason: "a node (\(node.layer)) has an empty name; give every node a name")
            }
            guard !seen.contains(node.name) else {
                throw NNError.invalidGraph(node: node.name, reason: node.name == GraphSpec.inputName
                    ? "\"\(GraphSpec.inputName)\" is the name of the model's input; call the node something else"
                    : "the name is used twice; give each node its own name")
            }
            for input in node.inputs where !seen.contains(input) {
                let later = nodes.contains { $0.name == input }
                throw NNError.invalidGraph(node: node.name, reason: later
                    ? "it reads \"\(input)\", which comes after it; a node may only read earlier nodes or \"\(GraphSpec.inputName)\" (the graph must have no cycle)"
                    : "it reads \"\(input)\", which is no node; use \"\(GraphSpec.inputName)\" or the name of an earlier node")
            }
            guard node.layer.arity.contains(node.inputs.count) else {
                throw NNError.invalidGraph(node: node.name, reason: "\(node.layer) takes \(node.layer.arityDescription) but is given \(node.inputs.count)")
            }
            try node.layer.validate()
            seen.insert(node.name)
        }
        let counts = consumerCounts
        if let unused = nodes.indices.dropLast().first(where: { counts[$0] == 0 }) {
            throw NNError.invalidGraph(node: nodes[unused].name, reason:
                "no node reads its output, so it cannot affect the model's output (the last node, \"\(nodes.last!.name)\"); connect it or remove it")
        }
    }
}
