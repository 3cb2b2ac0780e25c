import Foundation
import Testing
@testable import NN

/// Resumable training states: restoring one and continuing equals never having stopped, bit for bit.
@Suite struct TrainingStateTests {
    let metadata = CheckpointMetadata(classNames: ["a", "b", "c"], mean: [0, 0, 0], std: [1, 1, 1])
    /// Batch norm (running statistics), dropout (its generator) and AdamW (two moments and t).
    let spec = try! ModelSpec(parsing: "conv 3x3 4, bn, relu, dropout 0.3, maxpool 2, flatten, dense 3")
    let labels = [0, 1, 2, 1]

    func network() throws -> Network {
        try Network(spec: spec, inputChannels: 3, classes: 3, trainingHeight: 6, trainingWidth: 6, seed: 5)
    }

    func optimizer(_ kind: OptimizerKind = .adamW) -> Optimizer {
        Optimizer(kind, schedule: LearningRateSchedule(base: 0.01, warmupSteps: 2), weightDecay: 0.01)
    }

    func step(_ net: Network, _ optimizer: Optimizer, _ seed: UInt64) throws {
        _ = try net.trainStep(inputs: randomBatch(count: 4, size: 6, seed: seed), labels: labels, optimizer: optimizer)
    }

    @Test(arguments: [OptimizerKind.adamW, .sgd(momentum: 0.9, nesterov: true)])
    func restoredTrainingContinuesBitForBit(kind: OptimizerKind) throws {
        let (net, opt) = (try network(), optimizer(kind))
        for seed: UInt64 in 1...3 { try step(net, opt, seed) }
        let state = try net.encodeTrainingState(metadata: metadata, optimizer: opt, progress: ["epoch": 7], file: "x.state")
        for seed: UInt64 in 4...6 { try step(net, opt, seed) }

        let (resumed, resumedOptimizer) = (try network(), optimizer(kind))
        let progress = try resumed.restoreTrainingState(state, file: "x.state", optimizer: resumedOptimizer, as: [String: Int].self)
        #expect(progress == ["epoch": 7])
        #expect(resumedOptimizer.step == 3)
        for seed: UInt64 in 4...6 { try step(resumed, resumedOptimizer, seed) }
        #expect(resumed.parameterValues == net.parameterValues)
    }

    @Test func aStateBeforeTheFirstStepHasNoMoments() throws {
        let (net, opt) = (try network(), optimizer())
        let state = try net.encodeTrainingState(metadata: metadata, optimizer: opt, progress: 0, file: "x.state")
        try step(net, opt, 1)
        let (resumed, resumedOptimizer) = (try network(), optimizer())
        _ = try resumed.restoreTrainingState(state, file: "x.state", optimizer: resumedOptimizer, as: Int.self)
        try step(resumed, resumedOptimizer, 1)
        #expect(resumed.parameterValues == net.parameterValues)
    }

    @Test func refusesWhatItCannotContinueAndChangesNothing() throws {
        let (net, opt) = (try network(), optimizer())
        try step(net, opt, 1)
        let state = try net.encodeTrainingState(metadata: metadata, optimizer: opt, progress: 0, file: "x.state")
        let fresh = try network()
        let before = fresh.parameterValues
        func refusal(_ data: Data, _ optimizer: Optimizer? = nil, objection: String? = nil) -> String {
            do {
                _ = try fresh.restoreTrainingState(data, file: "x.state", optimizer: optimizer ?? self.optimizer(), as: Int.self) { _ in objection }
                return "restored"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(state.dropLast(9)).contains("(truncated)"))
        #expect(refusal(state, optimizer(.sgd(momentum: 0.9, nesterov: false))).contains("was saved with optimizer adamW"))
        #expect(refusal(state, objection: "it is from epoch 9") == "The checkpoint x.state was refused: it is from epoch 9.")
        let path = NSTemporaryDirectory() + "nn-\(UUID().uuidString).ckpt"
        defer { unlink(path) }
        try net.save(to: path, metadata: metadata)
        #expect(refusal(try Data(contentsOf: URL(fileURLWithPath: path))).contains("a checkpoint without training state"))
        #expect(fresh.parameterValues == before)
        #expect(refusal(state) == "restored")
        #expect(fresh.parameterValues == net.parameterValues)
    }

    @Test func aTrainingStateLoadsAsACheckpoint() throws {
        let (net, opt) = (try network(), optimizer())
        try step(net, opt, 1)
        let path = NSTemporaryDirectory() + "nn-\(UUID().uuidString).state"
        defer { unlink(path) }
        try net.encodeTrainingState(metadata: metadata, optimizer: opt, progress: 0, file: path).write(to: URL(fileURLWithPath: path))
        let (loaded, loadedMetadata) = try Network.load(from: path, expecting: net.spec)
        #expect(loaded.parameterValues == net.parameterValues && loadedMetadata == metadata)
    }
}
