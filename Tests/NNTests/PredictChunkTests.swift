import Kernels
import SeededRandom
import Testing
@testable import NN

/// `predict` runs a batch in chunks, depth-first, the threads taking chunks: each image's logits
/// must equal those of the image predicted alone, at 1 and 2 threads.
@Suite(.serialized) struct PredictChunkTests {
    @Test func chunkedPredictionEqualsOneImageAtATime() throws {
        let spec = try ModelSpec(parsing: "conv 3x3 32, bn, relu, maxpool 2, conv 3x3 64 stride 2, relu, gap")
        let net = try Network(spec: spec, inputChannels: 3, classes: 5, trainingHeight: 48, trainingWidth: 48, seed: 3)
        let chunk = Network.evaluationChunk(try net.modelPlan(height: 48, width: 48))
        let batch = 4 * chunk + 3
        #expect(chunk < batch, "the batch must span several chunks and a partial one")
        var generator = SplitMix64(seed: 9)
        let images = try Tensor(shape: [batch, 48, 48, 3], values: (0..<batch * 48 * 48 * 3).map { _ in generator.uniform() })
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        var results: [[Float]] = []
        for threads in [1, 2] {
            Parallel.threadCount = threads
            net.releaseBuffers()
            results.append(try net.predict(images).values)
        }
        let size = 48 * 48 * 3
        let alone = try (0..<batch).flatMap { n in
            try net.predict(Tensor(shape: [1, 48, 48, 3], values: Array(images.values[n * size..<(n + 1) * size]))).values
        }
        #expect(results[0] == alone)
        #expect(results[1] == alone)
    }

    /// With two workers a batch is cut into at least 8 chunks per worker (a delayed worker then
    /// leaves the other little to wait for), never more images than the workspace holds, and
    /// one worker takes the whole capacity.
    @Test func twoWorkersGetAtLeastEightChunksEach() {
        #expect(Network.predictChunk(batch: 256, capacity: 32, workers: 2) == 16)
        #expect(Network.predictChunk(batch: 256, capacity: 8, workers: 2) == 8)
        #expect(Network.predictChunk(batch: 10, capacity: 32, workers: 2) == 1)
        #expect(Network.predictChunk(batch: 256, capacity: 32, workers: 1) == 32)
    }
}
