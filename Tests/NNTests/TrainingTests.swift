import Testing
@testable import NN
import SeededRandom

/// A deterministic batch of `count` images of size×size×channels with values in [-1, 1).
func randomBatch(count: Int, size: Int, channels: Int = 3, seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let values = (0..<count * size * size * channels).map { _ in generator.uniform(limit: 1) }
    return try! Tensor(shape: [count, size, size, channels], values: values)
}

@Suite struct TrainingTests {
    @Test func referenceCNNOverfitsASmallBatch() throws {
        let net = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 8, trainingWidth: 8, seed: 7)
        let inputs = randomBatch(count: 16, size: 8, seed: 3)
        let labels = (0..<16).map { $0 % 10 }
        let optimizer = Optimizer(.adamW, schedule: LearningRateSchedule(base: 3e-3))
        var loss = Float.infinity
        for _ in 0..<150 { loss = try net.trainStep(inputs: inputs, labels: labels, optimizer: optimizer) }
        #expect(loss < 0.05, "loss after 150 steps: \(loss)")
        let logits = try net.predict(inputs)
        for n in 0..<16 {
            let row = logits.values[n * 10..<(n + 1) * 10]
            #expect(row.firstIndex(of: row.max()!)! - n * 10 == labels[n])
        }
    }

    @Test func sameSeedGivesSameWeights() throws {
        let a = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 42)
        let b = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 64, trainingWidth: 64, seed: 42)
        #expect(a.parameterValues == b.parameterValues)
    }
}
