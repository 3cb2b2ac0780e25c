import Foundation
import Testing
import TestSupport
@testable import NN

/// The checkpoint format's versions: a version-1 file (a list model, written by reslab before
/// the graph executor) still loads and computes the logits it computed then; a graph network
/// saves as version 2 and loads back with its nodes, inputs and weights.
@Suite struct CheckpointVersionTests {
    /// tiny.ckpt was written by `reslab run` at 6abb437 (version 1); the logits come from
    /// scripts/reference/nn_checkpoint_v1.py, which reads the file's layers and weights and runs
    /// them in float64 numpy.
    @Test func versionOneFileLoadsWithItsLogits() throws {
        let (net, metadata) = try Network.load(from: Fixtures.path("nn/checkpoint_v1/tiny.ckpt"))
        #expect(metadata.classNames == ["horizontal", "diagonal-down", "vertical", "diagonal-up"])
        #expect(net.isChain && net.graph.nodes.map(\.name) == (1...8).map(String.init))
        #expect(net.parameters.map(\.name) == ["1.conv 3x3 4.weight", "1.conv 3x3 4.bias", "2.bn.scale", "2.bn.shift", "2.bn.runningMean",
                                               "2.bn.runningVariance", "5.conv 3x3 6 stride 2.weight", "5.conv 3x3 6 stride 2.bias",
                                               "8.dense 4.weight", "8.dense 4.bias"])
        let images = try Tensor(shape: [2, 8, 8, 3], values: try fixtureFloats("nn/checkpoint_v1/input.f32"))
        let logits = try net.predict(images).values
        #expect(relativeError(logits, try fixtureFloats("nn/checkpoint_v1/logits.f32")) <= 1e-4)
    }

    @Test func graphRoundTripsAsVersionTwo() throws {
        let spec = try graph(["stem: conv 3x3 4 <- input", "bn: bn <- stem", "r: relu <- bn", "dw: conv 3x3 4 groups 4 <- r",
                              "sum: add <- dw, r", "pool: gap <- sum", "fc: dense 3 <- pool"])
        let net = try Network(graph: spec, inputChannels: 3, classes: 3, trainingHeight: 6, trainingWidth: 6, seed: 4)
        let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: false), schedule: LearningRateSchedule(base: 0.05))
        _ = try net.trainStep(inputs: randomBatch(count: 4, size: 6, seed: 2), labels: [0, 1, 2, 0], optimizer: optimizer)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("graph-\(UUID().uuidString).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let metadata = CheckpointMetadata(classNames: ["a", "b", "c"], mean: [0, 0, 0], std: [1, 1, 1])
        try net.save(to: path, metadata: metadata)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes[8] == 2)
        let (loaded, _) = try Network.load(from: path)
        #expect(loaded.graph == spec && !loaded.isChain)
        #expect(loaded.parameterValues == net.parameterValues)
        let images = randomBatch(count: 3, size: 9, seed: 3)
        #expect(try loaded.predict(images) == net.predict(images))
        #expect(throws: NNError.badCheckpoint(file: path, reason:
            "it holds the model [stem: conv 3x3 4 ← input; bn: bn ← stem; r: relu ← bn; dw: conv 3x3 4 groups 4 ← r; sum: add ← dw + r; pool: gap ← sum; fc: dense 3 ← pool] but [gap, dense 3] was asked for")) {
            try Network.load(from: path, expecting: ModelSpec(parsing: "gap, dense 3"))
        }
    }

    @Test func setParametersNamesWhatIsWrong() throws {
        let net = try Network(graph: try graph(["c: conv 3x3 2 groups 2 <- input", "p: gap <- c", "fc: dense 2 <- p"]),
                              inputChannels: 2, classes: 2, trainingHeight: 4, trainingWidth: 4, seed: 1)
        try net.setParameters(node: "c", role: .weight, values: [Float](repeating: 0.5, count: 18))
        #expect(net.parameters(node: "c", role: .weight) == [Float](repeating: 0.5, count: 18))
        #expect(throws: NNError.invalidGraph(node: "c", reason: "its weight has shape 3×3×1×2 (18 values) but 36 values were given")) {
            try net.setParameters(node: "c", role: .weight, values: [Float](repeating: 0, count: 36))
        }
        #expect(throws: NNError.invalidGraph(node: "p", reason: "gap has no scale parameter; it has none")) {
            try net.setParameters(node: "p", role: .scale, values: [1])
        }
        #expect(throws: NNError.invalidGraph(node: "x", reason: "there is no node of that name, so its parameters cannot be set")) {
            try net.setParameters(node: "x", role: .bias, values: [])
        }
    }

    @Test func graphWhoseOutputIsNotTheClassesIsRefused() throws {
        #expect(throws: NNError.invalidGraph(node: "p", reason:
            "the model's last node gives a 1×1×4 output at 4×4 but a classifier of 3 classes needs 1×1×3; end the model in \"dense 3\"")) {
            try Network(graph: try graph(["c: conv 3x3 4 <- input", "p: gap <- c"]), inputChannels: 2, classes: 3,
                        trainingHeight: 4, trainingWidth: 4, seed: 1)
        }
    }
}
