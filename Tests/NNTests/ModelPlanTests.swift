import Testing
@testable import NN

@Suite struct ModelPlanTests {
    static func chain(_ text: String) throws -> GraphSpec { GraphSpec(chain: try ModelSpec(parsing: text)) }
    static func square(_ size: Int) -> FeatureShape { FeatureShape(height: size, width: size, channels: 3) }

    /// The reference CNN at 32×32, computed by hand:
    /// receptive field r_l = r_{l−1} + (k − 1)·j_{l−1}, jump j_l = j_{l−1}·s, centre u_l = u_{l−1} + ((k − 1)/2 − p)·j_{l−1}.
    @Test func referenceCNNTable() throws {
        let plan = ModelPlan(graph: GraphSpec(chain: .referenceCNN()), input: Self.square(32))
        #expect(plan.nodes.map(\.output.description) == ["32×32×32", "32×32×32", "16×16×32", "16×16×64", "16×16×64", "8×8×64",
                                                         "8×8×128", "8×8×128", "4×4×128", "1×1×128", "1×1×10"])
        #expect(plan.nodes.map(\.field.rows.size) == [3, 3, 4, 8, 8, 10, 18, 18, 22, 46, 46])
        #expect(plan.nodes.map(\.field.rows.jump) == [1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8])
        #expect(plan.nodes.map(\.field.rows.center) == [0, 0, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 3.5, 15.5, 15.5])
        #expect(plan.nodes.map(\.parameters) == [896, 0, 0, 18_496, 0, 0, 73_856, 0, 0, 0, 1_290])
        #expect(plan.parameters == 94_538)
        #expect(plan.nodes.map(\.flops) == [1_769_472, 0, 0, 9_437_184, 0, 0, 9_437_184, 0, 0, 4_096, 2_560])
        #expect(plan.nodes[0].activationBytes == 32 * 32 * 32 * 4)
        // Training: 3× forward for conv/dense, 2× for the rest, minus the first layer's input gradient.
        #expect(plan.trainingFlops == 3 * plan.flops - 1_769_472 - 4_096)
        // The parameter arena is sized from the same tensors.
        let net = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 1)
        #expect(net.parameters.filter(\.role.isTrainable).reduce(0) { $0 + $1.count } == plan.parameters)
    }

    /// Araujo et al. (Distill 2019), eq. for a chain of L layers:
    ///     r₀ = Σ_l (k_l − 1) Π_{i<l} s_i + 1,    u₀ = Σ_l ((k_l − 1)/2 − p_l) Π_{i<l} s_i
    @Test func closedFormsOnAStridedDilatedChain() throws {
        let graph = try Self.chain("conv 7x7 8 stride 2 pad 3, maxpool 3 stride 2 pad 1, conv 3x3 8 dilation 2 pad 2, conv 3x3 8 stride 2 pad valid, blurpool 2")
        let last = ModelPlan(graph: graph, input: Self.square(64)).nodes.last!.field.rows
        let layers: [(k: Int, s: Int, p: Int)] = [(7, 2, 3), (3, 2, 1), (5, 1, 2), (3, 2, 0), (4, 2, 1)]
        var product = 1, r = 1, u = 0.0, padding = 0
        for layer in layers {
            r += (layer.k - 1) * product
            u += (Double(layer.k - 1) / 2 - Double(layer.p)) * Double(product)
            padding += layer.p * product
            product *= layer.s
        }
        #expect(last.size == r)
        #expect(last.center == u)
        #expect(last.jump == product)
        #expect(last.effectivePadding == padding)
    }

    /// Merging paths: the union of the inputs' regions. A 3×3 path padded 2 at the top/left only
    /// (output 0 reads rows −2…0) and one padded 2 at the bottom/right only (rows 0…2) keep the
    /// size; their concatenation reads rows −2…2, a field of 5 that neither path has.
    @Test func mergedPathsTakeTheUnionOfTheirRegions() throws {
        let graph = try GraphSpec(nodes: [
            .init(name: "a", layer: try LayerSpec(parsing: "conv 3x3 4 pad 2,2,0,0"), inputs: ["input"]),
            .init(name: "b", layer: try LayerSpec(parsing: "conv 3x3 4 pad 0,0,2,2"), inputs: ["input"]),
            .init(name: "sum", layer: .concat, inputs: ["b", "a"]),
        ])
        let plan = ModelPlan(graph: graph, input: Self.square(8))
        try #require(plan.failure == nil, "\(plan.failure?.sentence ?? "")")
        #expect(plan.nodes[0].field.rows == AxisField(first: -2, last: 0, jump: 1))
        #expect(plan.nodes[1].field.rows == AxisField(first: 0, last: 2, jump: 1))
        #expect(plan.nodes[2].field.rows == AxisField(first: -2, last: 2, jump: 1))
        #expect(!plan.nodes[2].field.mixedJumps)
        let mixed = try GraphSpec(nodes: [
            .init(name: "a", layer: try LayerSpec(parsing: "conv 3x3 3 stride 2"), inputs: ["input"]),
            .init(name: "g", layer: .globalAvgPool, inputs: ["input"]),
            .init(name: "gate", layer: .multiply, inputs: ["a", "g"]),
        ])
        let gated = ModelPlan(graph: mixed, input: Self.square(8)).nodes[2].field
        #expect(gated.rows.first == 0 && gated.rows.last == 7 && gated.rows.jump == 2 && !gated.mixedJumps)
    }

    /// The smallest input found by bisection is the one a scan of every size finds: chains with
    /// strides, ceil rounding, dilation and valid padding, and a residual graph whose shortcut
    /// downsamples (both paths give ⌊(n − 3)/2⌋ − 1 rows, so it runs from 7 px).
    @Test func smallestInputByBisectionEqualsAScanOfEverySize() throws {
        let residual = try GraphSpec(nodes: [
            .init(name: "a", layer: try LayerSpec(parsing: "conv 3x3 4 stride 2 pad valid"), inputs: ["input"]),
            .init(name: "b", layer: try LayerSpec(parsing: "conv 3x3 4 pad valid"), inputs: ["a"]),
            .init(name: "s", layer: try LayerSpec(parsing: "conv 7x7 4 stride 2 pad valid"), inputs: ["input"]),
            .init(name: "sum", layer: .add, inputs: ["b", "s"]),
        ])
        let graphs = [
            try Self.chain("conv 3x3 4, maxpool 2, conv 3x3 4 pad valid, maxpool 3 stride 2, conv 3x3 4 dilation 3 pad valid, gap"),
            try Self.chain("conv 7x7 8 stride 2 pad 3, maxpool 3 stride 2 pad 1 ceil, conv 3x3 8 pad valid, avgpool 4 ceil, gap"),
            try Self.chain("conv 5x5 4 stride 3 pad valid, maxpool 2, maxpool 2, maxpool 2"),
            residual,
        ]
        for graph in graphs {
            let scan = (1...200).first { ModelPlan(graph: graph, input: Self.square($0)).failure == nil }
            #expect(scan != nil)
            #expect(ModelPlan.smallestSquareInput(graph, channels: 3) == scan)
        }
        #expect(ModelPlan.smallestSquareInput(try Self.chain("conv 3x3 4 pad valid, maxpool 1024, maxpool 1024"), channels: 3) == nil,
                "nil when it cannot run even at 4096")
    }

    /// A model whose parameters were built at 32 px: at 48 px its flattened map is larger, and
    /// the dense layer is the failing node with the one sentence every consumer shows.
    @Test func theTrainingSizeDecidesWhereADenseLayerFails() throws {
        let graph = try Self.chain("conv 3x3 8, maxpool 2, flatten, dense 10")
        let plan = ModelPlan(graph: graph, input: Self.square(48), trainingInput: Self.square(32))
        #expect(plan.failure?.node == 3)
        #expect(plan.failure?.sentence == "Layer 4 (dense 10): dense expects 2048 inputs (16×16×8 at 32×32) but got 4608 (24×24×8 at 48×48): flatten ties the model to its training resolution; global average pooling does not.")
        #expect(plan.nodes.count == 3)
        #expect(ModelPlan(graph: graph, input: Self.square(32), trainingInput: Self.square(32)).failure == nil)
        // A fixed average pool that covers the whole map only at the training size says so.
        let pooled = try Self.chain("conv 3x3 8, maxpool 2, avgpool 16, flatten, dense 10")
        #expect(ModelPlan(graph: pooled, input: Self.square(64), trainingInput: Self.square(32)).failure?.reason
            == "dense expects 8 inputs (1×1×8 at 32×32) but got 32 (2×2×8 at 64×64): the fixed avgpool 16 averages the whole map only at 32×32, and flatten ties the model to that resolution; global average pooling does not.")
    }

    /// Floor and ceil side by side at the node's own input: 30 → 15 exact, then 15 → 7 (floor
    /// drops a row) or 8 (ceil pads one).
    @Test func everyDownsamplingNodeCarriesItsRoundingWhatIf() throws {
        let plan = ModelPlan(graph: try Self.chain("maxpool 2, relu, maxpool 2, gap"), input: Self.square(30))
        #expect(plan.nodes[0].rounding?.outcomes.map(\.rows.output) == [15, 15])
        #expect(plan.nodes[1].rounding == nil)
        #expect(plan.nodes[2].rounding?.outcomes.map(\.rows.output) == [7, 8])
        #expect(plan.nodes[2].rounding?.outcomes.map(\.rows.dropped) == [1, 0])
        #expect(plan.nodes[2].rounding?.outcomes.map(\.rows.padAfter) == [0, 1])
    }
}
