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
        let chunking = Network.evaluationChunking(try net.modelPlan(height: 48, width: 48))
        #expect(!chunking.layerParallel, "its weights fit the cache: each thread takes whole chunks")
        try expectChunkedEqualsAlone(net, size: 48, chunk: chunking.images)
    }

    /// A layer whose weights do not fit the cache (3·3·64·512 = 294,912 > 2^18) on a 4×4 map:
    /// the chunk grows to give it 512 output pixels (32 images, more than the 16 its activations
    /// allow) and the threads share each chunk's layers; the nodes before it (up to the pool)
    /// run on chunks of 16, gathered into the grown chunk (`evaluationSplit`); logits still equal
    /// one image at a time.
    @Test func largeWeightsGrowTheChunkAndShareIt() throws {
        let spec = try ModelSpec(parsing: "conv 3x3 64, relu, maxpool 4, conv 3x3 512, relu, gap")
        let net = try Network(spec: spec, inputChannels: 3, classes: 5, trainingHeight: 16, trainingWidth: 16, seed: 4)
        let plan = try net.modelPlan(height: 16, width: 16)
        let chunking = Network.evaluationChunking(plan)
        #expect(chunking.layerParallel)
        #expect(chunking.images == 32, "512 pixels of the 4×4 map; the 16×16×64 activations alone allow 16")
        let schedule = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 32, training: false)
        let split = Network.evaluationSplit(plan, schedule: schedule, tailImages: 32)
        #expect(split?.cut == 2 && split?.headImages == 16, "cut after the pool (nodes: conv, relu, pool, conv 512, …): \(String(describing: split))")
        try expectChunkedEqualsAlone(net, size: 16, chunk: chunking.images)
    }

    /// A cut must leave one tensor crossing it: with a skip connection from the pool around the
    /// large layer, the node just before that layer is no cut (the add after it reads the pool),
    /// the pool is; and the split predictions equal one image at a time.
    @Test func theSplitCutsWhereOnlyOneTensorCrosses() throws {
        let net = try Network(graph: try graph([
            "c0: conv 3x3 64 <- input", "p: maxpool 4 <- c0", "q: conv 1x1 64 <- p", "h: conv 3x3 512 <- q",
            "h2: conv 1x1 64 <- h", "s: add <- h2, p", "g: gap <- s", "logits: dense 5 <- g"]), inputChannels: 3, classes: 5, trainingHeight: 16, trainingWidth: 16, seed: 6)
        let plan = try net.modelPlan(height: 16, width: 16)
        let chunking = Network.evaluationChunking(plan)
        let schedule = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: chunking.images, training: false)
        let split = Network.evaluationSplit(plan, schedule: schedule, tailImages: chunking.images)
        #expect(split?.cut == 1 && split?.headImages == 16, "\(String(describing: split))")
        try expectChunkedEqualsAlone(net, size: 16, chunk: chunking.images)
        // The same logits as one forward pass over every node of the whole batch, unsplit.
        let batch = 40
        var generator = SplitMix64(seed: 12)
        let images = try Tensor(shape: [batch, 16, 16, 3], values: (0..<batch * 16 * 16 * 3).map { _ in generator.uniform() })
        let whole = Workspace(plan: plan, hasParameters: net.hasParameters, capacity: batch, training: false)
        let unsplit: [Float] = images.values.withUnsafeBufferPointer { x in
            net.forward(x.baseAddress!, batch: batch, workspace: whole, prepared: net.evaluationWeights(plan, schedule: whole.schedule))
            return Array(UnsafeBufferPointer(start: whole.logits, count: batch * 5))
        }
        #expect(try net.predict(images).values == unsplit)
    }

    /// `predict` keeps the prepared (packed, Winograd-transformed) weights for the next call; a
    /// training step changes the weights, and the next `predict` must use the new ones: its
    /// logits equal those of the same network with every cached buffer dropped.
    @Test func preparedWeightsFollowTheParameters() throws {
        let spec = try ModelSpec(parsing: "conv 3x3 32, relu, conv 3x3 32, relu, maxpool 2, conv 3x3 64, relu, gap")
        let net = try Network(spec: spec, inputChannels: 3, classes: 5, trainingHeight: 16, trainingWidth: 16, seed: 5)
        var generator = SplitMix64(seed: 11)
        let images = try Tensor(shape: [40, 16, 16, 3], values: (0..<40 * 16 * 16 * 3).map { _ in generator.uniform() })
        let before = try net.predict(images).values
        #expect(try net.predict(images).values == before, "the kept preparation gives the same logits")
        let optimizer = Optimizer(.sgd(momentum: 0, nesterov: false), schedule: LearningRateSchedule(base: 0.5))
        _ = try net.trainStep(inputs: images, labels: (0..<40).map { $0 % 5 }, optimizer: optimizer)
        let after = try net.predict(images).values
        #expect(after != before, "the step changed the weights")
        net.releaseBuffers()
        #expect(try net.predict(images).values == after)
    }

    /// Predicts 2 chunks and a partial one at 1 and 2 threads and compares each image's logits
    /// with the image predicted alone.
    private func expectChunkedEqualsAlone(_ net: Network, size side: Int, chunk: Int) throws {
        let batch = 2 * chunk + 3
        var generator = SplitMix64(seed: 9)
        let images = try Tensor(shape: [batch, side, side, 3], values: (0..<batch * side * side * 3).map { _ in generator.uniform() })
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        var results: [[Float]] = []
        for threads in [1, 2] {
            Parallel.threadCount = threads
            net.releaseBuffers()
            results.append(try net.predict(images).values)
        }
        let size = side * side * 3
        let alone = try (0..<batch).flatMap { n in
            try net.predict(Tensor(shape: [1, side, side, 3], values: Array(images.values[n * size..<(n + 1) * size]))).values
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

    /// Two workers take chunks that shrink towards the end (guided), from `predictChunk` to a
    /// quarter of it; one worker takes whole capacities; either way the chunks are the batch in
    /// order, without gap or overlap.
    @Test func chunksShrinkTowardsTheEndOfTheBatch() {
        func sizes(_ batch: Int, _ capacity: Int, _ workers: Int) -> [Int] {
            let chunks = Network.predictChunks(batch: batch, capacity: capacity, workers: workers)
            #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == batch)
            #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            return chunks.map(\.count)
        }
        #expect(sizes(256, 32, 2) == Array(repeating: 16, count: 13) + [12, 9, 7, 5, 4, 4, 4, 3])
        #expect(sizes(256, 1, 2) == Array(repeating: 1, count: 256))
        #expect(sizes(10, 32, 2) == Array(repeating: 1, count: 10))
        #expect(sizes(70, 32, 1) == [32, 32, 6])
    }
}
