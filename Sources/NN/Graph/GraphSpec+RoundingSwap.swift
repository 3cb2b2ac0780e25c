/// A graph with the other rounding rule (floor ↔ ceil) in the nodes that lose rows or columns
/// to their rule at one input size, and which nodes were swapped and why.
public struct RoundingSwap: Equatable, Sendable {
    /// One swapped node.
    public struct Swapped: Equatable, Sendable {
        /// Index of the node in the graph.
        public var node: Int
        /// The rule it uses in the swapped graph.
        public var rounding: Rounding
        /// nil when the node's own rule lost rows or columns there (`RoundingWhatIf.usedRuleLoses`);
        /// otherwise the merge node (add, multiply, concat) whose inputs its swap keeps the same size.
        public var matching: Int?

        public init(node: Int, rounding: Rounding, matching: Int?) {
            self.node = node
            self.rounding = rounding
            self.matching = matching
        }
    }

    public var graph: GraphSpec
    /// In graph order; empty when no node loses anything to its rule at this size (the swapped
    /// graph is then the graph itself).
    public var swapped: [Swapped]

    /// The indices of the swapped nodes, in graph order.
    public var swappedNodes: [Int] { swapped.map(\.node) }
}

extension GraphSpec {
    /// Swaps floor ↔ ceil in each pooling node and strided convolution whose rule loses rows or
    /// columns at a `height`×`width` input (`RoundingWhatIf.usedRuleLoses`, read from the model
    /// plan: floor drops rows that ceil would read, or ceil adds a window floor would not). Nodes
    /// are visited in graph order, each placed at the size the nodes before it give *after* their
    /// swaps (a swap upstream can make a later node's input odd or even). Nodes that lose nothing
    /// keep their rule; SAME padding and BlurPool have one fixed rule and are never swapped.
    ///
    /// Where paths merge (add, multiply, concat) the swapped sizes must still agree. When a swap
    /// on some input paths of a merge makes its inputs disagree, the swappable nodes (floor and
    /// ceil differ there) found only on the merge's other input paths are swapped too, one at a
    /// time in graph order, until they agree: the matching swap on both paths, marked with the
    /// merge (`Swapped.matching`). When no such node is left, the swap is refused with one
    /// sentence naming the merge (`NNError.cannotRun`). Parameters do not depend on the rule
    /// (except through a flatten), so the same weights load into the swapped model.
    ///
    /// Throws the plan's sentence when the swapped model cannot run for any other reason (a map
    /// that vanishes, or a merge the untreated model could not make either).
    public func swappingRounding(height: Int, width: Int, channels: Int) throws -> RoundingSwap {
        try validate()
        let input = try FeatureShape(input: height, width: width, channels: channels)
        var partners: [Int: Int] = [:]  // node → the merge it is swapped for
        while true {
            let (swap, plan) = swapWalk(input, partners: partners)
            guard let failure = plan.failure else { return swap }
            guard let partner = partner(of: failure.node, in: plan, swap), partners[partner] == nil else {
                throw refusal(failure, plan, swap)
            }
            partners[partner] = failure.node
        }
    }

    /// One walk in graph order: re-plans after each swap (only later nodes change) and returns the
    /// swapped graph with its plan at `input`, which may fail. `partners` are swapped where the two
    /// rules differ even though their own rule loses nothing.
    private func swapWalk(_ input: FeatureShape, partners: [Int: Int]) -> (RoundingSwap, ModelPlan) {
        var swap = RoundingSwap(graph: self, swapped: [])
        var next = 0
        while true {
            let plan = ModelPlan(graph: swap.graph, input: input, trained: nil, explainMinimum: false)
            let found = plan.nodes.indices.dropFirst(next).first { j in
                guard let whatIf = plan.nodes[j].rounding else { return false }
                return whatIf.usedRuleLoses || (partners[j] != nil && whatIf.rulesDiffer)
            }
            guard let j = found, let whatIf = plan.nodes[j].rounding else { return (swap, plan) }
            let rounding: Rounding = whatIf.used == .floor ? .ceil : .floor
            swap.graph.nodes[j].layer = swap.graph.nodes[j].layer.withRounding(rounding)
            swap.swapped.append(RoundingSwap.Swapped(node: j, rounding: rounding, matching: whatIf.usedRuleLoses ? nil : partners[j]))
            next = j + 1
        }
    }

    /// For a merge `m` whose inputs disagree in height or width where swaps were made on some of
    /// its input paths: the first node in graph order that lies only on its other input paths
    /// (the nodes upstream of some input of `m` but not of all, and not of a swapped path), is not
    /// swapped, and where floor and ceil differ. nil when there is none, or `m` is no such merge.
    private func partner(of m: Int, in plan: ModelPlan, _ swap: RoundingSwap) -> Int? {
        let reads = inputIndices[m]
        guard reads.count > 1 else { return nil }
        let shapes = reads.map { $0 < 0 ? plan.input : plan.nodes[$0].output }
        guard shapes.contains(where: { $0.height != shapes[0].height || $0.width != shapes[0].width }) else { return nil }
        let upstream = upstreamSets
        let reached = reads.map { $0 < 0 ? [] : upstream[$0] }
        let common = reached.dropFirst().reduce(reached[0]) { $0.intersection($1) }
        let paths = reached.map { $0.subtracting(common) }
        let swapped = Set(swap.swappedNodes)
        let changed = paths.filter { !$0.isDisjoint(with: swapped) }.reduce(Set<Int>()) { $0.union($1) }
        guard !changed.isEmpty else { return nil }
        let others = paths.filter { $0.isDisjoint(with: swapped) }.reduce(Set<Int>()) { $0.union($1) }.subtracting(changed)
        return others.sorted().first { plan.nodes[$0].rounding?.rulesDiffer == true }
    }

    /// The error for a swapped plan that fails: for a merge fed by swapped nodes, one sentence
    /// naming the merge, its disagreeing inputs and the swaps; otherwise the plan's own sentence.
    private func refusal(_ failure: PlanFailure, _ plan: ModelPlan, _ swap: RoundingSwap) -> NNError {
        let reads = inputIndices[failure.node], upstream = upstreamSets
        let feeding = swap.swapped.filter { s in reads.contains { $0 >= 0 && upstream[$0].contains(s.node) } }
        guard reads.count > 1, !feeding.isEmpty else {
            // The walk's plans skip the smallest-input search; the sentence gets it back.
            let sentence = (ModelPlan(graph: swap.graph, input: plan.input).failure ?? failure).sentence
            return .cannotRun(node: failure.name, sentence: sentence)
        }
        let shapes = reads.map { ($0 < 0 ? plan.input : plan.nodes[$0].output).description }.joined(separator: " and ")
        let swaps = feeding.map { "\"\(nodes[$0.node].name)\" (\(nodes[$0.node].layer) → \($0.rounding.rawValue))" }.joined(separator: ", ")
        var refused = failure
        refused.reason = "with the rounding swapped at \(swaps), its inputs would be \(shapes) at \(plan.input.height)×\(plan.input.width) input, "
            + "and no node on its other input paths has a rule that makes them match, so the rounding swap is not defined for this model at that size."
        return .cannotRun(node: failure.name, sentence: refused.sentence)
    }

    /// For each node, itself and every node whose output reaches it.
    private var upstreamSets: [Set<Int>] {
        var sets: [Set<Int>] = []
        for (i, reads) in inputIndices.enumerated() {
            sets.append(reads.filter { $0 >= 0 }.reduce(into: Set([i])) { $0.formUnion(sets[$1]) })
        }
        return sets
    }
}
