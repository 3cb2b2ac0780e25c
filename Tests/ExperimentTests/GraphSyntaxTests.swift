import Foundation
import NN
import Testing
import TestSupport
@testable import Experiment

/// `models[].graph`: residual blocks, shortcuts, repeats and named nodes, unrolled into NN's graph;
/// errors at the entry's line with what to write instead.
struct GraphSyntaxTests {
    static func config(_ graph: String) -> String {
        "dataset: {generated: {size: 16}}\nmodels:\n  - name: g\n    graph:\n" + graph
    }

    @Test func unrollsBlocksShortcutsRepeatsAndNamedNodes() throws {
        let config = try parseExperiment(yaml: Self.config("""
                  - conv 3x3 8
                  - residual: [conv 3x3 16 stride 2 pad 1, bn, relu, conv 3x3 16, bn]
                    shortcut: [conv 1x1 16 stride 2 pad 0, bn]
                  - relu
                  - {residual: [conv 3x3 16, relu], repeat: 2, name: b}
                  - {name: pooled, layer: gap, inputs: [b.2.add]}
                  - {name: gate, layer: mul, inputs: [b.2.add, pooled]}
                  - gap
            """), file: "g.yaml")
        let graph = try GraphEntry.graph(try #require(config.models[0].graph), classes: 10)
        #expect(graph.nodes.map(\.name) == ["1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.shortcut.1", "2.shortcut.2", "2.add", "3",
                                            "b.1.1", "b.1.2", "b.1.add", "b.2.1", "b.2.2", "b.2.add", "pooled", "gate", "8"])
        #expect(graph.nodes.map(\.inputs) == [["input"], ["1"], ["2.1"], ["2.2"], ["2.3"], ["2.4"], ["1"], ["2.shortcut.1"],
                                              ["2.5", "2.shortcut.2"], ["2.add"], ["3"], ["b.1.1"], ["b.1.2", "3"],
                                              ["b.1.add"], ["b.2.1"], ["b.2.2", "b.1.add"], ["b.2.add"], ["b.2.add", "pooled"], ["gate"]])
        let plan = ModelPlan(graph: graph, input: FeatureShape(height: 31, width: 31, channels: 3))
        #expect(plan.failure == nil, "\(plan.failure?.sentence ?? "")")
        #expect(plan.nodes[8].output == FeatureShape(height: 16, width: 16, channels: 16))
        // The summary writes blocks in one line; the run folder's description records the nodes.
        #expect(config.models[0].summary.hasPrefix("conv 3x3 8, residual [conv 3x3 16 stride 2 pad 1, bn, relu, conv 3x3 16, bn | shortcut conv 1x1 16 stride 2 pad 0, bn], relu, 2 × residual [conv 3x3 16, relu]"))
        let info = try config.models[0].description(classNames: ["a", "b"], trainResolution: 16, mean: [0, 0, 0], std: [1, 1, 1])
        #expect(info.graph?.count == 19)
        #expect(try info.classifierGraph().nodes.last?.layer == .dense(units: 2))
    }

    @Test(arguments: [
        ("      - conv 3x3 8\n      - residual: [conv 3x3 8, bn, relu, conv 3x3]\n",
         "g.yaml:6: models[0].graph[1].residual[3]: The layer \"conv 3x3\" could not be read: expected the number of filters (a whole number)."),
        ("      - conv 3x3 8\n      - {name: gate, layer: mul, inputs: [1, nowhere]}\n",
         "g.yaml:6: models[0].graph[1]: The node \"gate\" is invalid: it reads \"nowhere\", which is no node; use \"input\" or the name of an earlier node."),
        ("      - {residual: [relu], layer: relu}\n",
         "g.yaml:5: models[0].graph[0]: give `layer:` (a node, e.g. `{name: gate, layer: mul, inputs: [a, b]}`) or `residual:` (a block, e.g. `{residual: [conv 3x3 16, bn, relu, conv 3x3 16, bn]}`), not both."),
        ("      - conv 3x3 8\n      - {residual: [relu], repeat: 0}\n",
         "g.yaml:6: models[0].graph[1].repeat: a block must appear at least once; write `repeat: 1` or leave it out."),
        ("      - conv 3x3 8\n      - maxpool 2 ceil\n      - gap\n",
         "g.yaml:6: models[0].graph[1]: `maxpool 2 ceil` says ceil, but the model's rounding is floor (the default), which applies to every pooling and strided layer; write `rounding: ceil` on the model and leave it out of the layer."),
        ("      - conv 3x3 8\n      - {name: side, layer: relu, inputs: [input]}\n      - gap\n",
         "g.yaml:5: models[0].graph[0]: The node \"1\" is invalid: no node reads its output, so it cannot affect the model's output (the last node, \"3\"); connect it or remove it."),
    ])
    func errorsNameTheEntryLineAndTheFix(_ graph: String, _ expected: String) {
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: Self.config(graph), file: "g.yaml") }
        #expect(error?.description == "g.yaml has 1 problem:\n  " + expected)
    }

    /// The model's `rounding:` sets every pooling and strided layer, so a layer stating the other
    /// rule is refused instead of silently overridden; stating the model's own rule is fine.
    @Test func aLayerCannotStateTheOtherRounding() throws {
        let yaml = "dataset: {generated: {size: 16}}\nmodels:\n  - name: l\n    rounding: ceil\n    layers: [conv 3x3 8, maxpool 2 Floor, gap]\n"
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "l.yaml") }
        #expect(error?.description == "l.yaml has 1 problem:\n  l.yaml:5: models[0].layers[1]: `maxpool 2 Floor` says floor, but the model's rounding is ceil, which applies to every pooling and strided layer; write `rounding: floor` on the model and leave it out of the layer.")
        let same = try parseExperiment(yaml: yaml.replacingOccurrences(of: "maxpool 2 Floor", with: "maxpool 2 ceil"), file: "l.yaml")
        #expect(same.models[0].rounding == .ceil)
    }

    /// google-research/receptive_field's table (computed with TF-Slim's models): receptive field,
    /// effective stride and effective padding, for the fixture networks written in the graph syntax.
    @Test(arguments: [("vgg16", [6, 16, 44, 100, 212], [2, 4, 8, 16, 32], [2, 6, 18, 42, 90]),
                      ("alexnet", [195], [32], [64]),
                      ("resnet50", [483], [32], [239])])
    func publishedReceptiveFields(_ name: String, sizes: [Int], strides: [Int], paddings: [Int]) throws {
        let path = Fixtures.path("architectures/\(name).yaml")
        let config = try parseExperiment(yaml: try String(contentsOfFile: path, encoding: .utf8), file: path)
        let graph = try GraphEntry.graph(try #require(config.models[0].graph), classes: 10)
        let plan = ModelPlan(graph: graph, input: FeatureShape(height: 224, width: 224, channels: 3))
        #expect(plan.failure == nil)
        // The published end points: VGG-16 at every pool, AlexNet at pool5, ResNet-50 at the last
        // block's output (the fixtures end in a gap head the tables do not include).
        let pools = plan.nodes.filter { if case .maxPool = $0.layer { return true } else { return false } }
        let ends = name == "vgg16" ? pools : name == "alexnet" ? [pools.last!] : [plan.nodes.last { $0.layer == .relu }!]
        #expect(ends.map(\.field.rows.size) == sizes)
        #expect(ends.map(\.field.rows.jump) == strides)
        #expect(ends.map(\.field.rows.effectivePadding) == paddings)
        #expect(ends.map(\.field.columns.size) == sizes)
        #expect(!plan.nodes.contains { $0.field.mixedJumps })
    }

    /// The zoo's graph models. ResNet-20's parameters, counted by hand: 268,336 conv and dense
    /// weights (He et al.'s 0.27 M, Table 6), plus the two projections' 512 + 2,048 weights and
    /// every bias and batch-norm γ, β (2,362): 273,258. And the fixed-pool head's failure.
    @Test func zooGraphModels() throws {
        let resnet = try ModelConfig(name: "r", zoo: "resnet-20").description(classNames: (0..<10).map(String.init), trainResolution: 32,
                                                                              mean: [0, 0, 0], std: [1, 1, 1]).classifierGraph()
        let plan = ModelPlan(graph: resnet, input: FeatureShape(height: 32, width: 32, channels: 3))
        #expect(plan.failure == nil)
        #expect(plan.parameters == 273_258)
        #expect(plan.nodes.filter { if case .conv = $0.layer { return true } else { return false } }.count == 21)
        #expect(plan.nodes.last!.field.rows.jump == 4)
        // docs/engine.md's diagram of block 10, worked by hand.
        let node = { (name: String) in plan.nodes.first { $0.name == name }! }
        #expect(node("9").field.rows == AxisField(first: -7, last: 7, jump: 1))
        #expect(node("10.1").field.rows == AxisField(first: -8, last: 8, jump: 2))
        #expect(node("10.4").field.rows == AxisField(first: -10, last: 10, jump: 2))
        #expect(node("10.shortcut.1").field.rows == AxisField(first: -7, last: 7, jump: 2))
        #expect(node("10.shortcut.1").rows?.dropped == 1 && node("10.1").rows?.dropped == 0)
        #expect(node("10.add").field.rows == AxisField(first: -10, last: 10, jump: 2))
        #expect(node("10.add").inputs.map { plan.nodes[$0].name } == ["10.5", "10.shortcut.2"])
        let fixed = try ModelConfig(name: "f", zoo: "resnet-20-avgpool8").description(classNames: ["a", "b"], trainResolution: 32,
                                                                                      mean: [0, 0, 0], std: [1, 1, 1]).classifierGraph()
        let shape = { (size: Int) in FeatureShape(height: size, width: size, channels: 3) }
        #expect(ModelPlan(graph: fixed, input: shape(32), trainingInput: shape(32)).failure == nil)
        #expect(ModelPlan(graph: fixed, input: shape(64), trainingInput: shape(32)).failure?.sentence
            == "The node \"classifier\" (dense 2): dense expects 64 inputs (1×1×64 at 32×32) but got 256 (2×2×64 at 64×64): the fixed avgpool 8 averages the whole map only at 32×32, and flatten ties the model to that resolution; global average pooling does not.")
        #expect(ModelPlan(graph: fixed, input: shape(24), trainingInput: shape(32)).failure?.reason.hasPrefix("it gets a 6×6×64 map at 24×24 input, smaller than its 8×8 window") == true)
        let mobile = try ModelConfig(name: "m", zoo: "mobilenetv2-cifar").description(classNames: ["a", "b"], trainResolution: 32,
                                                                                      mean: [0, 0, 0], std: [1, 1, 1]).classifierGraph()
        let mobilePlan = ModelPlan(graph: mobile, input: shape(32))
        #expect(mobilePlan.failure == nil)
        #expect(mobilePlan.nodes.contains { if case let .conv(spec) = $0.layer { return spec.groups == 144 && spec.stride == 2 } else { return false } })
        #expect(mobilePlan.nodes.filter { $0.layer == .add }.count == 6)
    }
}
