import Foundation
import NN
import Testing
import TestSupport
@testable import ONNX

/// The fixture models of scripts/onnx/make_fixtures.py import into the graphs their builder
/// describes, plan at every size onnxruntime ran them at, and have the pins they should.
@Suite struct FixtureModelTests {
    struct Manifest: Decodable {
        struct Case: Decodable {
            var size: Int
            var input: [Int]
            var output: [Int]
        }
        var opset: Int
        var cases: [Case]
    }

    static func load(_ name: String) throws -> (ImportedModel, Manifest) {
        let folder = Fixtures.path("onnx/\(name)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json")))
        return (try ImportedModel(contentsOf: folder + "/model.onnx"), manifest)
    }

    @Test(arguments: ["resnet", "mobilenet", "squeezenet", "vgg", "adaptive"])
    func plansAtEverySizeOnnxruntimeRan(_ name: String) throws {
        // ONNX's (N, classes) output is the engine's 1×1×classes at each size onnxruntime ran.
        let (model, manifest) = try Self.load(name)
        #expect(model.opset == manifest.opset)
        for c in manifest.cases {
            let plan = ModelPlan(graph: model.graph, input: model.input.shape(height: c.size, width: c.size))
            #expect(plan.failure == nil, "\(name) at \(c.size): \(plan.failure?.sentence ?? "")")
            #expect(plan.output == FeatureShape(height: 1, width: 1, channels: c.output[1]))
        }
        #expect(model.outputs == manifest.cases[0].output[1])
    }

    @Test func resnetBecomesConvBatchNormAndResidualAdds() throws {
        let (model, _) = try Self.load("resnet")
        let layers = model.graph.nodes.map(\.layer.description)
        #expect(layers.filter { $0 == "add" }.count == 2)
        #expect(layers.filter { $0 == "bn" }.count == 6)
        #expect(layers.last == "dense 10")
        #expect(model.pins.isEmpty)
        let input = ImportedModel.Input(name: "input", layout: .nchw, channels: 3, height: nil, width: nil)
        #expect(model.input == input)
        // The 1e-3 batch norm's variance carries ε − 1e-5 more than the file's.
        let batchNorms = model.parameters.values.filter { $0[.runningVariance] != nil }
        #expect(batchNorms.count == 6)
    }

    @Test func mobilenetKeepsDepthwiseReLU6SqueezeExciteAndAsymmetricPadding() throws {
        let (model, _) = try Self.load("mobilenet")
        let layers = model.graph.nodes.map(\.layer)
        #expect(layers.contains(.activation(.relu6)))
        #expect(layers.contains(.activation(.hardSwish)))
        #expect(layers.contains(.activation(.hardSigmoid(alpha: 1.0 / 6, beta: 0.5))))
        #expect(layers.contains(.multiply))
        let depthwise = ConvSpec(kernelHeight: 5, kernelWidth: 5, filters: 24, stride: 2,
                                 padding: .asymmetric(top: 1, left: 1, bottom: 2, right: 2), groups: 24)
        #expect(layers.contains(.conv(depthwise)))
        #expect(layers.last == .affine)   // MatMul → dense, then Add of the bias vector
    }

    @Test func squeezenetConcatenatesAndMarksItsCeilPool() throws {
        let (model, _) = try Self.load("squeezenet")
        #expect(model.graph.nodes.filter { $0.layer == .concat }.count == 3)
        #expect(model.graph.nodes.last?.layer == .softmax)
        #expect(model.pins.map(\.kind) == [.ceilPool])
        let pool = LayerSpec.avgPool(PoolSpec(kernel: 3, stride: 1, padding: .explicit(1), countIncludePad: true))
        #expect(model.graph.nodes.map(\.layer).contains(pool))
    }

    @Test func vggIsPinnedByItsFlattenAndRefusesOtherSizes() throws {
        let (model, _) = try Self.load("vgg")
        #expect(model.graph.nodes.first?.layer == .affine)       // Sub mean, Div std
        let padded = LayerSpec.conv(ConvSpec(kernelHeight: 3, kernelWidth: 3, filters: 8, padding: .explicit(1)))
        #expect(model.graph.nodes[2].layer == padded)
        #expect(model.pins.map(\.kind) == [.flattenDense])
        #expect(model.pins.first?.sentence == "Gemm \"gemm_26\" reads the 8×8×12 map of the 32×32 input flattened into 768 values, so it takes no other input size (global average pooling would not tie the size).")
        #expect(model.input.height == 32)
        #expect(model.input.width == 32)
        // At 48 px the flattened map holds 12·12·12 values, not the 768 the dense layer's weights take.
        let plan = ModelPlan(graph: model.graph, input: model.input.shape(height: 48, width: 48))
        let dense = plan.nodes.first { if case .dense = $0.layer { return true } else { return false } }
        #expect(dense?.input.channels == 1728)
    }

    @Test func anExportedAdaptivePoolIsPinnedToItsTrainingMap() throws {
        let (model, _) = try Self.load("adaptive")
        #expect(model.pins.map(\.kind) == [.trainingSizePool])
        let sentence = model.pins.first?.sentence ?? ""
        #expect(sentence.contains("10×10 window, exactly the 10×10 map it gets at the 40×40 input"))
    }
}
