import Foundation
import NN
import Testing
@testable import Experiment

/// The `remedies:` section, multi-resolution training and the BlurPool variant.
struct RemedyConfigTests {
    func yaml(_ remedies: String) -> String {
        """
        dataset:
          generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4}
        models:
          - zoo: small-cnn
        evaluation:
          resolutions: [12, 16, 20]
          methods: [bilinear, nearest]
        \(remedies)
        """
    }

    @Test func decodesARemediesSection() throws {
        let config = try parseExperiment(yaml: yaml("""
            remedies:
              run: [resize, bn-recal]
              at: [12, 20]
              method: nearest
              bn_recal: {images: 512, batch: 64}
            """), file: "r.yaml")
        let remedies = try #require(config.remedies)
        #expect(remedies.kinds == [.resize, .bnRecal] && remedies.at == [12, 20])
        #expect(remedies.bnRecal.images == 512 && remedies.bnRecal.batch == 64 && remedies.fixres == FixResConfig())
        #expect(remedies.keys(config.evaluation) == [EvaluationKey(resolution: 12, method: .nearest, antialias: true),
                                                     EvaluationKey(resolution: 20, method: .nearest, antialias: true)])
        // Without a section the configuration (and so a stored run's) is unchanged.
        #expect(try parseExperiment(yaml: yaml(""), file: "r.yaml").remedies == nil)
    }

    @Test func problemsAreLocatedLikeTheRestOfTheFile() {
        let text = yaml("""
            remedies:
              run: [resize, bn-recall]
              at: [12, 24]
              method: lanczos
              bn_recal: {batch: 1}
            """)
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: text, file: "r.yaml") }
        #expect(error?.description == """
            r.yaml has 4 problems:
              r.yaml:9: remedies.run[1]: `bn-recall` is not one of resize, rounding, bn-recal, fixres, multires, blurpool.
              r.yaml:10: remedies.at: 24 px is not among the evaluated sizes (12, 16, 20); a remedy is compared with the untreated model at the same size, so add it to evaluation.resolutions.
              r.yaml:11: remedies.method: `lanczos` is not among the evaluated methods (bilinear, nearest); the remedies are paired with the untreated model's predictions under the same method.
              r.yaml:12: remedies.bn_recal.batch: must be at least 2 (a batch of one image has no variance at 1×1).
            """)
    }

    @Test func multiResolutionSizesArePureFunctionsOfSeedEpochAndStep() {
        let drawn = MultiResolution(sizes: .list([24, 32, 40]))
        let first = (0..<300).map { drawn.size(seed: 7, epoch: $0 / 100, step: $0 % 100, epochs: 3) }
        #expect(first == (0..<300).map { drawn.size(seed: 7, epoch: $0 / 100, step: $0 % 100, epochs: 3) })
        #expect(first != (0..<300).map { drawn.size(seed: 8, epoch: $0 / 100, step: $0 % 100, epochs: 3) })
        // Roughly uniform over the three sizes (100 ± 30 each of 300).
        for size in [24, 32, 40] { #expect((70...130).contains(first.filter { $0 == size }.count), "size \(size)") }
        // Growing: sizes[round(e·(n − 1)/(E − 1))], halves away from zero: 0, 0.5, 1, 1.5, 2 → 0, 1, 1, 2, 2.
        let grow = MultiResolution(sizes: .range(from: 16, to: 32, step: 8), grow: true)
        #expect((0..<5).map { grow.size(seed: 0, epoch: $0, step: 3, epochs: 5) } == [16, 24, 24, 32, 32])
        #expect(grow.size(seed: 0, epoch: 0, step: 0, epochs: 1) == 32)
    }

    @Test func blurPoolVariantFollowsZhang() throws {
        #expect(try blurPoolVariant(["conv 3x3 8", "relu", "maxpool 2", "conv 3x3 16", "relu", "gap"])
                == ["conv 3x3 8", "relu", "maxpool 2 stride 1", "blurpool 2", "conv 3x3 16", "relu", "gap"])
        // Strided convolution: stride 1, then the blur after its batch norm and ReLU; average pooling: the blur alone.
        #expect(try blurPoolVariant(["conv 3x3 32 stride 2", "bn", "relu", "avgpool 2", "conv 3x3 8", "gap", "dense classes"])
                == ["conv 3x3 32", "bn", "relu", "blurpool 2", "blurpool 2", "conv 3x3 8", "gap", "dense classes"])
        // Already antialiased: unchanged (the runner then skips the retraining).
        let blurred = ModelZoo.layers("blurpool-cnn")!
        #expect(try blurPoolVariant(blurred) == blurred)
    }

    /// ResNet-20's variant, as Zhang's antialiased ResNets: in each downsampling block the 3×3
    /// convolution runs at stride 1 with the blur after its batch norm and ReLU, and the 1×1
    /// projection is blurred first; the identity blocks are untouched; same parameters, and the
    /// two paths of every block agree at odd and even sizes as the untreated model's do.
    @Test func blurPoolVariantOfAGraphBlursBothPathsOfEachDownsamplingBlock() throws {
        let resnet = ModelConfig(name: "resnet-20", zoo: "resnet-20")
        let variant = try #require(try resnet.withBlurPool())
        guard case let .graph(untreated) = resnet.architecture, case let .graph(blurred) = variant.architecture else {
            Issue.record("resnet-20 and its variant are graphs")
            return
        }
        let projected = blurred.compactMap { entry -> ([GraphEntry], [GraphEntry])? in
            if case let .residual(_, body, shortcut?, _) = entry { return (body, shortcut) }
            return nil
        }
        #expect(projected.count == 2)
        #expect(projected.first?.0 == ["conv 3x3 32 pad 1", "bn", "relu", "blurpool 2", "conv 3x3 32", "bn"].map(GraphEntry.layer))
        #expect(projected.first?.1 == ["blurpool 2", "conv 1x1 32 pad 0", "bn"].map(GraphEntry.layer))
        #expect(zip(untreated, blurred).filter { $0 != $1 }.count == 2, "only the two downsampling blocks change")
        for size in [15, 32, 33] {
            let input = try FeatureShape(input: size, width: size, channels: 3)
            let before = ModelPlan(graph: try GraphEntry.graph(untreated, classes: 10), input: input)
            let after = ModelPlan(graph: try GraphEntry.graph(blurred, classes: 10), input: input)
            #expect(before.failure == nil && after.failure == nil, "\(size) px")
            #expect(after.parameters == before.parameters)
            let adds = { (plan: ModelPlan) in plan.nodes.filter { $0.layer == .add }.map(\.output) }
            #expect(adds(after) == adds(before), "\(size) px")
        }
        // MobileNetV2: the blur follows the depthwise convolution's ReLU6.
        let mobile = try #require(try ModelConfig(name: "m", zoo: "mobilenetv2-cifar").withBlurPool())
        #expect(mobile.summary.contains("conv 3x3 144 groups 144 pad 1, bn, relu6, blurpool 2, conv 1x1 32"), "\(mobile.summary)")
        // A named node that downsamples: other nodes may read it by name, so no variant.
        let named = ModelConfig(name: "n", graph: [.layer("conv 3x3 8"), .node(name: "down", layer: "conv 3x3 8 stride 2", inputs: nil), .layer("gap")])
        #expect(throws: BlurPoolVariantError(message: "n's node \"down\" (`conv 3x3 8 stride 2`) downsamples and is written as a named node, which other nodes may read by name, so the BlurPool variant is not defined for it; write it as a plain layer or inside a `residual:` block")) {
            try named.withBlurPool()
        }
    }
}
