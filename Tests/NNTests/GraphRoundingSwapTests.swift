import Testing
import NN

/// The rounding swap of graph models, through the public API: which nodes it swaps at a size is
/// checked against the plan's own floor/ceil figures, and both against sizes worked out by hand
/// here (n input rows, window extent e, stride s, padding b before and a after: floor gives
/// ⌊(n + b + a − e)/s⌋ + 1 windows, ceil ⌈(n + b + a − e)/s⌉ + 1 unless the last one would start
/// past the input and its padding before).
@Suite struct GraphRoundingSwapTests {
    /// A graph from (name, layer, inputs) rows.
    func graph(_ rows: [(String, String, [String])]) throws -> GraphSpec {
        try GraphSpec(nodes: rows.map { GraphSpec.Node(name: $0.0, layer: try LayerSpec(parsing: $0.1), inputs: $0.2) })
    }

    /// A residual stage whose body pools with `pool` and whose shortcut is `projection` (both
    /// halving the map), then an identity residual block after a second pool:
    ///
    ///     0 stem conv 3x3 4 ← input      3 proj (projection) ← stem     6 body2 conv 3x3 4 ← pool2
    ///     1 pool (pool) ← stem            4 sum add ← body, proj         7 sum2 add ← body2, pool2
    ///     2 body conv 3x3 4 ← pool        5 pool2 maxpool 2 ← sum        8 head gap, 9 fc dense 3
    func residual(pool: String = "maxpool 2", projection: String) throws -> GraphSpec {
        try graph([("stem", "conv 3x3 4", ["input"]), ("pool", pool, ["stem"]), ("body", "conv 3x3 4", ["pool"]),
                   ("proj", projection, ["stem"]), ("sum", "add", ["body", "proj"]), ("pool2", "maxpool 2", ["sum"]),
                   ("body2", "conv 3x3 4", ["pool2"]), ("sum2", "add", ["body2", "pool2"]), ("head", "gap", ["sum2"]),
                   ("fc", "dense 3", ["head"])])
    }

    /// The floor and ceil outputs and what each drops or pads along the rows of `node`'s plan.
    func rows(_ plan: ModelPlan, _ node: Int) -> [Int] {
        guard let whatIf = plan.nodes[node].rounding, whatIf.outcomes.count == 2 else { return [] }
        let (floor, ceil) = (whatIf.outcomes[0].rows, whatIf.outcomes[1].rows)
        return [floor.output, floor.dropped, ceil.output, ceil.padAfter]
    }

    func plan(_ graph: GraphSpec, _ size: Int) -> ModelPlan {
        ModelPlan(graph: graph, input: FeatureShape(height: size, width: size, channels: 3))
    }

    @Test func bothPathsThatDropARowSwapAndLaterNodesSeeTheSwappedSize() throws {
        let net = try residual(projection: "conv 2x2 4 stride 2 pad 0")
        // 15 px: the pool (e = 2, s = 2) gives ⌊13/2⌋ + 1 = 7 windows over rows 0…13 and drops row
        // 14; ceil ⌈13/2⌉ + 1 = 8, the 8th window reading row 14 and one padded row. The 2×2
        // projection has the same geometry. The plan says so:
        let at15 = plan(net, 15)
        #expect(rows(at15, 1) == [7, 1, 8, 1] && rows(at15, 3) == [7, 1, 8, 1])
        // Untreated, pool2 then gets 7 rows and drops one too (⌊5/2⌋ + 1 = 3, ceil 4).
        #expect(rows(at15, 5) == [3, 1, 4, 1])
        let swap = try net.swappingRounding(height: 15, width: 15, channels: 3)
        // Swapped: both paths give 8, and pool2 sees 8 rows, which it tiles (4, nothing dropped):
        // it keeps floor. Exactly nodes 1 and 3 change, to ceil; every other node is the same.
        #expect(swap.swapped == [RoundingSwap.Swapped(node: 1, rounding: .ceil, matching: nil),
                                 RoundingSwap.Swapped(node: 3, rounding: .ceil, matching: nil)])
        for (j, node) in swap.graph.nodes.enumerated() {
            #expect(node.layer == ([1, 3].contains(j) ? net.nodes[j].layer.withRounding(.ceil) : net.nodes[j].layer), "node \(j)")
            #expect(node.name == net.nodes[j].name && node.inputs == net.nodes[j].inputs, "node \(j)")
        }
        let swapped = plan(swap.graph, 15)
        #expect(swapped.nodes[4].output == FeatureShape(height: 8, width: 8, channels: 4))
        #expect(rows(swapped, 5) == [4, 0, 4, 0])
        #expect(swapped.nodes[7].output == FeatureShape(height: 4, width: 4, channels: 4))
        // 30 px: 30 → 15 under either rule at the first pools (nothing to swap); pool2 gets 15 rows,
        // drops row 14 under floor, and is the only node swapped. 28 px: 14 → 7 → 7 tiles, 2 × 7 = 14.
        #expect(try net.swappingRounding(height: 30, width: 30, channels: 3).swappedNodes == [5])
        #expect(try net.swappingRounding(height: 28, width: 28, channels: 3).swapped == [])
    }

    @Test func aMergeGetsTheMatchingSwapOnItsOtherPath() throws {
        // The projection: a 4×4 stride-2 convolution padded 1 (e = 4, b = a = 1). At 16 px, floor
        // ⌊14/2⌋ + 1 = 8 = the pool's 16/2. At 15 px, floor ⌊13/2⌋ + 1 = 7 windows starting at rows
        // −1, 1, …, 11 and ending at row 14: every row read, nothing lost; ceil ⌈13/2⌉ + 1 = 8.
        let net = try residual(projection: "conv 4x4 4 stride 2 pad 1")
        let at15 = plan(net, 15)
        #expect(rows(at15, 1) == [7, 1, 8, 1], "the pool drops row 14")
        #expect(rows(at15, 3) == [7, 0, 8, 2], "the projection loses nothing under floor; ceil reads two padded rows")
        #expect(at15.nodes[4].output == FeatureShape(height: 7, width: 7, channels: 4), "untreated, both paths give 7")
        // Swapping the pool alone would give the sum 8 and 7 rows; the projection is swapped with
        // it, marked with the merge (node 4) it matches, so both paths give 8.
        let swap = try net.swappingRounding(height: 15, width: 15, channels: 3)
        #expect(swap.swapped == [RoundingSwap.Swapped(node: 1, rounding: .ceil, matching: nil),
                                 RoundingSwap.Swapped(node: 3, rounding: .ceil, matching: 4)])
        #expect(plan(swap.graph, 15).nodes[4].output == FeatureShape(height: 8, width: 8, channels: 4))
        // 16 px: the pool tiles; the projection's floor reads row 15 (its last window is rows 13–16,
        // 16 being padding) and ceil (⌈14/2⌉ + 1 = 8) agrees: nothing to swap.
        #expect(try net.swappingRounding(height: 16, width: 16, channels: 3).swapped == [])
    }

    @Test func aSwapThatMakesAMergeDisagreeIsRefusedNamingTheMerge() throws {
        // A ceil model whose shortcut is a 1×1 stride-2 projection (e = 1, no padding). At 15 px the
        // pool's ceil gives ⌈13/2⌉ + 1 = 8, its 8th window reading row 14 and a padded row (floor: 7);
        // the projection gives ⌊14/2⌋ + 1 = 8 = ⌈14/2⌉ + 1 under either rule. Untreated both are 8.
        let net = try residual(pool: "maxpool 2 ceil", projection: "conv 1x1 4 stride 2 pad 0")
        let at15 = plan(net, 15)
        #expect(at15.failure == nil && rows(at15, 1) == [7, 1, 8, 1] && rows(at15, 3) == [8, 0, 8, 0])
        let error = #expect(throws: NNError.self) { try net.swappingRounding(height: 15, width: 15, channels: 3) }
        #expect(error == .cannotRun(node: "sum", sentence: "The node \"sum\" (add): with the rounding swapped at \"pool\" (maxpool 2 ceil → floor), its inputs would be 7×7×4 and 8×8×4 at 15×15 input, and no node on its other input paths has a rule that makes them match, so the rounding swap is not defined for this model at that size."))
        // 16 px: the pool tiles (8 under either rule) and the projection drops row 15 under both
        // (ceil's 9th window would start at row 16, past the input): nothing to swap.
        #expect(try net.swappingRounding(height: 16, width: 16, channels: 3).swapped == [])
    }

    @Test func aResNetDownsamplingBlockHasNothingToSwap() throws {
        // As the zoo's resnet-20: a 3×3 stride-2 convolution padded 1 beside a 1×1 stride-2
        // projection. At 16 px the 3×3's floor gives ⌊15/2⌋ + 1 = 8 windows, the last over rows 13–15:
        // nothing dropped, though ceil would add a 9th (⌈15/2⌉ + 1) reading row 15 and two padded
        // rows. The projection drops row 15 under floor, and ceil cannot read it (its 9th window
        // would start at row 16). So no node loses anything another rule would keep.
        let net = try graph([("stem", "conv 3x3 4", ["input"]), ("c1", "conv 3x3 8 stride 2 pad 1", ["stem"]),
                             ("c2", "conv 3x3 8", ["c1"]), ("proj", "conv 1x1 8 stride 2 pad 0", ["stem"]),
                             ("sum", "add", ["c2", "proj"]), ("head", "gap", ["sum"]), ("fc", "dense 3", ["head"])])
        let at16 = plan(net, 16)
        #expect(rows(at16, 1) == [8, 0, 9, 2] && rows(at16, 3) == [8, 1, 8, 0])
        #expect(at16.nodes[1].rounding?.usedRuleLoses == false && at16.nodes[3].rounding?.usedRuleLoses == false)
        #expect(try net.swappingRounding(height: 16, width: 16, channels: 3).swapped == [])
        // 15 px: ⌊14/2⌋ + 1 = ⌈14/2⌉ + 1 = 8 for both: floor and ceil agree.
        #expect(try net.swappingRounding(height: 15, width: 15, channels: 3).swapped == [])
    }

    @Test func aSwappedGraphNetworkKeepsTheWeights() throws {
        let graph = try residual(projection: "conv 2x2 4 stride 2 pad 0")
        let net = try Network(graph: graph, inputChannels: 3, classes: 3, trainingHeight: 16, trainingWidth: 16, seed: 4)
        let before = net.parameterValues
        let images = randomBatch(count: 3, size: 15, seed: 8)
        let untreated = try net.predict(images)
        let (swapped, swap) = try net.swappingRounding(height: 15, width: 15)
        #expect(swap.swappedNodes == [1, 3])
        #expect(swapped.parameterValues == before && net.parameterValues == before)
        // The same tensors at the same offsets (their names quote the layer text, which now says ceil).
        #expect(swapped.parameters.map { [$0.offset, $0.count] } == net.parameters.map { [$0.offset, $0.count] })
        #expect(swapped.parameters.map(\.role) == net.parameters.map(\.role))
        #expect(swapped.graph == swap.graph && net.graph == graph)
        // The plans of the two networks: the sum is 7×7 untreated and 8×8 swapped (worked above).
        #expect(try net.modelPlan(height: 15, width: 15).nodes[4].output.height == 7)
        #expect(try swapped.modelPlan(height: 15, width: 15).nodes[4].output.height == 8)
        #expect(try net.predict(images) == untreated, "the original network is not changed")
        #expect(try swapped.predict(images) != untreated, "ceil reads row 14 and column 14: different logits")
        // Where nothing is swapped the copy computes the same logits, bit for bit.
        let at16 = randomBatch(count: 3, size: 16, seed: 8)
        let identity = try net.swappingRounding(height: 16, width: 16)
        #expect(identity.swap.swapped == [])
        #expect(try identity.network.predict(at16) == net.predict(at16))
    }
}
