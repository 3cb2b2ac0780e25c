import Testing
import NN

/// The post-training remedies, checked through the public API only: batch-norm recalibration
/// against statistics computed here from the input, the rounding swap against sizes worked by
/// hand, and the FixRes parameter mask against the parameters' values before and after.
@Suite struct RemedyTests {
    /// Running mean and variance of every batch-norm layer, in layer order.
    func runningStatistics(_ net: Network) -> [(mean: [Float], variance: [Float])] {
        let values = net.parameterValues
        func slice(_ entry: ParameterEntry) -> [Float] { Array(values[entry.offset..<entry.offset + entry.count]) }
        let means = net.parameters.filter { $0.role == .runningMean }, variances = net.parameters.filter { $0.role == .runningVariance }
        return zip(means, variances).map { (slice($0), slice($1)) }
    }

    /// Per-channel mean and unbiased variance over every (image, row, column) of an NHWC tensor,
    /// in Double: the batch statistics a batch-norm layer fed `x` computes.
    func batchStatistics(_ x: Tensor) -> (mean: [Double], variance: [Double]) {
        let c = x.shape[3], m = x.values.count / c
        var mean = [Double](repeating: 0, count: c), variance = mean
        for (i, v) in x.values.enumerated() { mean[i % c] += Double(v) / Double(m) }
        for (i, v) in x.values.enumerated() { variance[i % c] += (Double(v) - mean[i % c]) * (Double(v) - mean[i % c]) / Double(m - 1) }
        return (mean, variance)
    }

    func network(_ text: String, size: Int = 8, seed: UInt64 = 3) throws -> Network {
        try Network(spec: ModelSpec(parsing: text), inputChannels: 3, classes: 3, trainingHeight: size, trainingWidth: size, seed: seed)
    }

    @Test func recalibratedStatisticsAreTheBatchStatisticsOfTheInput() throws {
        // bn first: its input is the images themselves, whose statistics are computed here.
        // Shifted and scaled per channel so that mean ≠ 0 and variance ≠ 1 (the initial values).
        var images = randomBatch(count: 5, size: 12, seed: 11)
        for i in images.values.indices { images.values[i] = images.values[i] * Float(1 + i % 3) + Float(i % 3) - 0.5 }
        let expected = batchStatistics(images)
        for batchSize in [5, 2] {   // one chunk; chunks of 2, 2, 1 (cumulative averaging must agree)
            let net = try network("bn, conv 3x3 4, bn, relu, gap")
            let before = net.parameterValues
            try net.recalibrateBatchNorm(images: images, batchSize: batchSize)
            let first = runningStatistics(net)[0]
            for k in 0..<3 {
                #expect(abs(Double(first.mean[k]) - expected.mean[k]) < 1e-5 * max(1, abs(expected.mean[k])), "batch \(batchSize), channel \(k)")
                #expect(abs(Double(first.variance[k]) - expected.variance[k]) < 1e-5 * expected.variance[k], "batch \(batchSize), channel \(k)")
            }
            // Forward passes only: nothing but running statistics moved.
            let after = net.parameterValues
            for entry in net.parameters where entry.role != .runningMean && entry.role != .runningVariance {
                #expect(after[entry.offset..<entry.offset + entry.count] == before[entry.offset..<entry.offset + entry.count], "\(entry.name)")
            }
            #expect(runningStatistics(net)[1].variance != [1, 1, 1, 1], "the second bn layer was re-estimated too")
        }
    }

    @Test func recalibrationIsIndependentOfTheStartingStatistics() throws {
        // Cumulative, not momentum: whatever the running values held, one pass replaces them.
        let images = randomBatch(count: 4, size: 10, seed: 5)
        let fresh = try network("conv 3x3 4, bn, relu, gap")
        let trained = try network("conv 3x3 4, bn, relu, gap")
        _ = try trained.trainStep(inputs: randomBatch(count: 4, size: 8, seed: 9), labels: [0, 1, 2, 0],
                                  optimizer: Optimizer(.sgd(momentum: 0, nesterov: false), schedule: LearningRateSchedule(base: 0)))
        #expect(runningStatistics(fresh)[0].mean != runningStatistics(trained)[0].mean)
        try fresh.recalibrateBatchNorm(images: images, batchSize: 4)
        try trained.recalibrateBatchNorm(images: images, batchSize: 4)
        #expect(runningStatistics(fresh)[0].mean == runningStatistics(trained)[0].mean)
        #expect(runningStatistics(fresh)[0].variance == runningStatistics(trained)[0].variance)
    }

    static let threePools = "conv 3x3 4, relu, maxpool 2, conv 3x3 4, relu, maxpool 2, conv 3x3 4, relu, maxpool 2, gap"

    /// The swap of a list model (its chain graph: node l is layer l + 1).
    func swap(_ spec: ModelSpec, _ height: Int, _ width: Int) throws -> RoundingSwap {
        try GraphSpec(chain: spec).swappingRounding(height: height, width: width, channels: 3)
    }

    @Test func roundingSwapChangesExactlyTheLayersThatDropOrPadRows() throws {
        let spec = try ModelSpec(parsing: Self.threePools)
        // Pools at 2, 5, 8. 24 → 12 → 6 → 3: every pool tiles its input, nothing to swap.
        #expect(try swap(spec, 24, 24).swappedNodes == [])
        // 28 → 14 → 7: the third pool drops row 7 under floor.   20 → 10 → 5: likewise.
        #expect(try swap(spec, 28, 28).swappedNodes == [8])
        #expect(try swap(spec, 20, 20).swappedNodes == [8])
        // 30 → 15: the second pool differs (floor 7, ceil 8); after its swap the third pool sees 8,
        // even, and keeps floor (it would have differed at 7 without the swap upstream).
        let at30 = try swap(spec, 30, 30)
        #expect(at30.swappedNodes == [5])
        #expect(at30.swapped == [RoundingSwap.Swapped(node: 5, rounding: .ceil, matching: nil)])
        #expect(at30.graph.nodes[5].layer == spec.layers[5].withRounding(.ceil))
        #expect(at30.graph.nodes.enumerated().filter { $0.offset != 5 }.map(\.element.layer) == spec.layers.enumerated().filter { $0.offset != 5 }.map(\.element))
        // Rows and columns separately: 16 × 20 → 8 × 10 → 4 × 5: the third pool differs in columns only.
        #expect(try swap(spec, 16, 20).swappedNodes == [8])
        // A ceil model swaps to floor; SAME-padded strided convolutions are never swapped.
        let ceil = try swap(spec.withRounding(.ceil), 28, 28)
        #expect(ceil.swappedNodes == [8] && ceil.graph.nodes[8].layer == spec.layers[8])
        #expect(try swap(ModelSpec(parsing: "conv 3x3 4 stride 2, relu, gap"), 15, 15).swappedNodes == [])
        // 4 → 2 → 1: the third pool gets a 1×1 map under either rule; the plan's sentence names it.
        let error = #expect(throws: NNError.self) { try swap(spec, 4, 4) }
        guard case let .cannotRun(node, sentence)? = error else { Issue.record("expected cannotRun, got \(String(describing: error))"); return }
        #expect(node == "9" && sentence.contains("it gets a 1×1×4 map at 4×4 input, smaller than its 2×2 window"), "\(sentence)")
        #expect(sentence.contains("the smallest input this model takes is 8×8"), "\(sentence)")
    }

    @Test func roundingSwapKeepsTheWeights() throws {
        let net = try network(Self.threePools, size: 24)
        let before = net.parameterValues
        let images = randomBatch(count: 3, size: 28, seed: 2)
        let untreated = try net.predict(images)
        let (swapped, swap) = try net.swappingRounding(height: 28, width: 28)
        #expect(swap.swappedNodes == [8])
        #expect(swapped.parameterValues == before && net.parameterValues == before)
        #expect(swapped.spec.layers[8] == net.spec.layers[8].withRounding(.ceil))
        #expect(try net.predict(images) == untreated, "the original network is not changed")
        #expect(try swapped.predict(images) != untreated, "ceil keeps the 7th row and column: different logits")
        // Where nothing differs the swap is the identity, bit for bit.
        let at24 = randomBatch(count: 3, size: 24, seed: 2)
        #expect(try net.swappingRounding(height: 24, width: 24).network.predict(at24) == net.predict(at24))
    }

    @Test func fixResMaskTrainsOnlyTheClassifierAndBatchNorm() throws {
        let net = try network("conv 3x3 4, bn, relu, conv 3x3 4, bn, relu, gap, dense 5, relu")
        // Layers 1-based: 1 conv, 2 bn, 4 conv, 5 bn, 7 gap, 8 dense 5, 9 relu, 10 dense 3 (added).
        #expect(Set(net.classifierAndBatchNormParameters.map { net.parameters[$0].name }) == ["2.bn.scale", "2.bn.shift", "5.bn.scale", "5.bn.shift",
                                                         "10.dense 3.weight", "10.dense 3.bias"])
        let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: false), schedule: LearningRateSchedule(base: 0.1), weightDecay: 0.01)
        optimizer.trainableEntries = net.classifierAndBatchNormParameters
        let before = net.parameterValues
        for step in 0..<3 {
            _ = try net.trainStep(inputs: randomBatch(count: 6, size: 12, seed: UInt64(step)), labels: [0, 1, 2, 0, 1, 2], optimizer: optimizer)
        }
        let after = net.parameterValues
        for (index, entry) in net.parameters.enumerated() {
            let changed = after[entry.offset..<entry.offset + entry.count] != before[entry.offset..<entry.offset + entry.count]
            // Trained tensors and the running statistics (state, updated in training mode) move; the rest is bit-identical.
            let moves = net.classifierAndBatchNormParameters.contains(index) || entry.role == .runningMean || entry.role == .runningVariance
            #expect(changed == moves, "\(entry.name)")
        }
    }
}
