import Foundation
import Testing
@testable import NN

@Suite struct GraphSpecTests {
    @Test func newLayersReadAndPrintTheirShortForms() throws {
        let texts = ["conv 3x3 32 groups 32", "conv 3x3 8 stride 2 pad 0,0,1,1", "avgpool 3 stride 1 pad 1 include-pad",
                     "relu6", "clip -1.0 2.5", "leakyrelu", "leakyrelu 0.2", "sigmoid", "hardsigmoid",
                     "hardsigmoid alpha 0.2 beta 0.5", "hardswish", "silu", "gelu", "tanh", "add", "mul", "concat",
                     "softmax", "affine", "bias", "bias 7x7"]
        for text in texts {
            #expect(try LayerSpec(parsing: text).description == text)
        }
        #expect(try LayerSpec(parsing: "relu6") == .activation(.clip(lower: 0, upper: 6)))
        #expect(try LayerSpec(parsing: "swish") == .activation(.silu))
        #expect(try LayerSpec(parsing: "conv 1x1 8 pad 1,2,3,4") == .conv(ConvSpec(kernelHeight: 1, kernelWidth: 1, filters: 8,
            padding: .asymmetric(top: 1, left: 2, bottom: 3, right: 4))))
        #expect(throws: NNError.invalidLayer(layer: "conv 3x3 10 groups 4", reason: "the 10 filters must split evenly into 4 groups")) {
            try LayerSpec(parsing: "conv 3x3 10 groups 4")
        }
        #expect(throws: NNError.invalidLayer(layer: "clip 6.0 0.0", reason: "clip needs finite bounds with lower < upper")) {
            try LayerSpec(parsing: "clip 6 0")
        }
    }

    /// Asymmetric padding along each axis: output = ⌊(n + before + after − k) / s⌋ + 1, the rows
    /// taking top/bottom and the columns left/right (ONNX `pads` = [top, left, bottom, right]).
    @Test func asymmetricPaddingAppliesPerAxis() throws {
        let layer = try LayerSpec(parsing: "conv 3x3 4 stride 2 pad 0,1,1,0")
        let placed = try layer.place([FeatureShape(height: 8, width: 9, channels: 3)], height: 8, width: 9).get()
        // rows: (8 + 0 + 1 − 3) / 2 + 1 = 4; columns: (9 + 1 + 0 − 3) / 2 + 1 = 4.
        #expect(placed.output == FeatureShape(height: 4, width: 4, channels: 4))
        #expect(placed.rows?.padBefore == 0)
        #expect(placed.columns?.padBefore == 1)
        #expect(placed.rows?.padAfter == 1)   // the last window (rows 6, 7, 8) reads the padded row 8
        #expect(placed.columns?.padAfter == 0)
    }

    /// A residual block with a 1×1 strided projection shortcut, placed at 32 and 31 px.
    @Test func placesAResidualBlock() throws {
        let graph = try GraphSpec(nodes: [
            .init(name: "stem", layer: try LayerSpec(parsing: "conv 3x3 16"), inputs: ["input"]),
            .init(name: "a", layer: try LayerSpec(parsing: "conv 3x3 32 stride 2 pad 1"), inputs: ["stem"]),
            .init(name: "b", layer: try LayerSpec(parsing: "conv 3x3 32"), inputs: ["a"]),
            .init(name: "shortcut", layer: try LayerSpec(parsing: "conv 1x1 32 stride 2 pad 0"), inputs: ["stem"]),
            .init(name: "sum", layer: .add, inputs: ["b", "shortcut"]),
            .init(name: "cat", layer: .concat, inputs: ["sum", "a"]),
            .init(name: "head", layer: .globalAvgPool, inputs: ["cat"]),
        ])
        let plan = ModelPlan(graph: graph, input: FeatureShape(height: 32, width: 32, channels: 3))
        #expect(plan.failure == nil)
        #expect(plan.nodes.map(\.output.height) == [32, 16, 16, 16, 16, 16, 1])
        #expect(plan.nodes[5].output.channels == 64)
        #expect(plan.nodes[4].inputs == [2, 3])
        #expect(graph.consumerCounts == [2, 2, 1, 1, 1, 1, 0])
        // At 31 px the 3×3 path gives ⌊(31 + 2 − 3) / 2⌋ + 1 = 16 rows, the 1×1 path ⌊30 / 2⌋ + 1 = 16: still fits.
        #expect(ModelPlan(graph: graph, input: FeatureShape(height: 31, width: 31, channels: 3)).failure == nil)
        // With an unpadded 3×3 path (⌊(31 − 3) / 2⌋ + 1 = 15 rows) against 16 the sum cannot be formed.
        var unpadded = graph
        unpadded.nodes[1].layer = try LayerSpec(parsing: "conv 3x3 32 stride 2 pad 0")
        let failed = ModelPlan(graph: unpadded, input: FeatureShape(height: 31, width: 31, channels: 3))
        #expect(failed.failure?.node == 4)
        #expect(failed.failure?.sentence == "The node \"sum\" (add): its inputs have shapes 15×15×32 and 16×16×32 at 31×31 input; they must match, or one must be 1×1×32 to be broadcast.")
        #expect(failed.nodes.count == 4)
    }

    @Test func refusesGraphsThatDoNotConnect() throws {
        let conv = try LayerSpec(parsing: "conv 3x3 8")
        #expect(throws: NNError.invalidGraph(node: "b", reason: "it reads \"c\", which comes after it; a node may only read earlier nodes or \"input\" (the graph must have no cycle)")) {
            try GraphSpec(nodes: [.init(name: "a", layer: conv, inputs: ["input"]), .init(name: "b", layer: .add, inputs: ["a", "c"]),
                                  .init(name: "c", layer: conv, inputs: ["b"])])
        }
        #expect(throws: NNError.invalidGraph(node: "a", reason: "the name is used twice; give each node its own name")) {
            try GraphSpec(nodes: [.init(name: "a", layer: conv, inputs: ["input"]), .init(name: "a", layer: conv, inputs: ["a"])])
        }
        #expect(throws: NNError.invalidGraph(node: "s", reason: "add takes 2 or more inputs but is given 1")) {
            try GraphSpec(nodes: [.init(name: "s", layer: .add, inputs: ["input"])])
        }
        #expect(throws: NNError.invalidGraph(node: "x", reason: "no node reads its output, so it cannot affect the model's output (the last node, \"y\"); connect it or remove it")) {
            try GraphSpec(nodes: [.init(name: "x", layer: conv, inputs: ["input"]), .init(name: "y", layer: conv, inputs: ["input"])])
        }
    }

    @Test func aListModelIsAChainGraph() throws {
        let spec = ModelSpec.referenceCNN()
        let graph = GraphSpec(chain: spec)
        try graph.validate()
        let plan = ModelPlan(graph: graph, input: FeatureShape(height: 30, width: 30, channels: 3))
        #expect(plan.nodes.map(\.output) == (try spec.plan(height: 30, width: 30, channels: 3)).map(\.output))
    }

    @Test func aListRunsOneInputLayersAndRefusesAMergeWithASentence() throws {
        let net = try Network(spec: try ModelSpec(parsing: "conv 3x3 8, sigmoid, gap"), inputChannels: 3, classes: 2,
                              trainingHeight: 8, trainingWidth: 8, seed: 1)
        #expect(try net.predict(randomBatch(count: 2, size: 8, seed: 1)).values.allSatisfy(\.isFinite))
        #expect(throws: NNError.invalidGraph(node: "2", reason: "add takes 2 or more inputs but is given 1")) {
            try Network(spec: try ModelSpec(parsing: "conv 3x3 8, add, gap"), inputChannels: 3, classes: 2,
                        trainingHeight: 8, trainingWidth: 8, seed: 1)
        }
    }
}
