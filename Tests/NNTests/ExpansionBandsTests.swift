import Kernels
import SeededRandom
import Testing
@testable import NN

/// A pointwise convolution and the depthwise convolution after it run band by band
/// (`ExpansionBands`, `ExecutionSchedule.bandedFrom`) equal the two layers run one after the
/// other, bit for bit.
@Suite(.serialized) struct ExpansionBandsTests {
    let reference = ConvolutionBlockTests()

    /// The kernel against the pointwise convolution's whole output, then the depthwise one, each
    /// with ReLU6 in its store: strided, dilated, asymmetric and no padding, a 5×5 window, 24
    /// channels (blocks of 8 inside) and 37 (8 at a time and 5 one by one), in bands of one
    /// output row to the whole map (a band buffer of `rows` rows of e), on 1 and 2 threads.
    @Test(arguments: [("conv 3x3 24 groups 24 pad 1", 3), ("conv 3x3 24 groups 24 pad 1", 4), ("conv 3x3 24 groups 24 pad 1", 7),
                      ("conv 3x3 24 groups 24 stride 2 pad 1", 3), ("conv 3x3 24 groups 24 stride 2 pad 1", 6),
                      ("conv 3x3 37 groups 37 stride 2 pad 1", 5), ("conv 3x3 16 groups 16 dilation 2 pad 2", 5),
                      ("conv 3x3 24 groups 24 pad 1,0,2,1", 4), ("conv 3x3 24 groups 24 pad valid", 3),
                      ("conv 5x5 24 groups 24 stride 2 pad 2", 6), ("conv 3x3 24 groups 24 stride 2 pad 1", 100)])
    func equalsThePointwiseThenTheDepthwiseBitForBit(_ layer: String, _ rows: Int) throws {
        let plans = try ModelSpec(parsing: ["conv 1x1 \(layer.split(separator: " ")[2])", layer]).plan(height: 13, width: 11, channels: 5)
        let batch = 3
        let pointwise = Convolution(plan: plans[0], batch: batch), depthwise = Convolution(plan: plans[1], batch: batch)
        var bands = ExpansionBands(expansion: pointwise, depthwise: depthwise)
        bands.bandFloats = rows * plans[1].input.width * plans[1].input.channels
        #expect(pointwise.isPointwise && depthwise.isDepthwise)
        #expect(rows >= 13 || bands.outputRows < plans[1].output.height, "several bands")
        var generator = SplitMix64(seed: 11)
        let (x, weight, bias) = reference.randomLayer(pointwise, &generator)
        let depthwiseWeight = reference.random(depthwise.depth * depthwise.filters, &generator)
        let depthwiseBias = reference.random(depthwise.filters, &generator)
        let relu6 = StoreClamp(lower: 0, upper: 6)
        let scale = weight.map { $0 * 4 }     // outputs past 6 too, so the upper clamp matters

        let expected: [Float] = reference.withThreads(1) {
            let ws = Workspace(plans: plans, capacity: batch, training: false)
            var e = [Float](repeating: .nan, count: batch * plans[0].output.count)
            var y = [Float](repeating: .nan, count: batch * plans[1].output.count)
            pointwise.forward(x: x, weight: scale, bias: bias, y: &e, clamp: relu6, scratch: ws.scratch, evaluation: true)
            depthwise.forward(x: e, weight: depthwiseWeight, bias: depthwiseBias, y: &y, clamp: relu6, scratch: ws.scratch, evaluation: true)
            return y
        }
        #expect(expected.contains(6) && expected.contains(0) && expected.contains { $0 > 0 && $0 < 6 } && !expected.contains { $0.isNaN },
                "outputs clamped at both ends and between them, every value written")
        for threads in [1, 2] {
            let y: [Float] = reference.withThreads(threads) {
                let block = UnsafeMutablePointer<Float>.allocate(capacity: threads * bands.bufferFloats)
                let partials = UnsafeMutablePointer<Double>.allocate(capacity: Scratch.sumChunks * 64)
                defer { block.deallocate(); partials.deallocate() }
                let scratch = Scratch(columns: block, columnBlockFloats: bands.bufferFloats, gradientPartials: block,
                                      gradientGroupFloats: 0, partials: partials, partialWidth: 64, threads: threads)
                var y = [Float](repeating: .nan, count: batch * plans[1].output.count)
                withPackedMatrix(k: pointwise.depth, n: pointwise.filters, b: scale, ldb: pointwise.filters) { packed in
                    bands.forward(x: x, expansionWeights: packed, expansionBias: bias, expansionClamp: relu6,
                                  depthwiseWeight: depthwiseWeight, depthwiseBias: depthwiseBias, depthwiseClamp: relu6,
                                  y: &y, scratch: scratch)
                }
                return y
            }
            #expect(y == expected, "\(threads) threads")
        }
    }

    /// The band rows: the input rows a band of output rows reads, clipped to the map, and the
    /// padding left above a band.
    @Test func bandRowsAndPadding() throws {
        let plans = try ModelSpec(parsing: ["conv 1x1 8", "conv 3x3 8 groups 8 stride 2 pad 1"]).plan(height: 9, width: 4, channels: 2)
        var bands = ExpansionBands(expansion: Convolution(plan: plans[0], batch: 1), depthwise: Convolution(plan: plans[1], batch: 1))
        bands.bandFloats = 5 * 4 * 8
        #expect(bands.outputRows == 2 && bands.bufferFloats == 5 * 4 * 8, "2 output rows read (2 − 1)·2 + 3 = 5 rows")
        #expect(bands.inputRows(for: 0..<2) == 0..<4, "rows −1…3, the first in the padding")
        #expect(bands.inputRows(for: 2..<4) == 3..<8)
        #expect(bands.inputRows(for: 4..<5) == 7..<9, "rows 7…9, the last in the padding")
        #expect(bands.bandPlan(outputs: 0..<2, inputs: 0..<4).rows.padBefore == 1)
        #expect(bands.bandPlan(outputs: 2..<4, inputs: 3..<8).rows.padBefore == 0)
        #expect(bands.bandPlan(outputs: 4..<5, inputs: 7..<9).rows == WindowAxis(input: 2, output: 1, taps: 3, stride: 2, dilation: 1, padBefore: 0))
    }

    static let block = ["s: conv 3x3 16 <- input", "e: conv 1x1 96 <- s", "e.bn: bn <- e", "e.act: relu6 <- e.bn",
                        "d: conv 3x3 96 groups 96 stride 2 pad 1 <- e.act", "d.bn: bn <- d", "d.act: relu6 <- d.bn",
                        "p: conv 1x1 16 <- d.act", "head: gap <- p", "fc: dense 5 <- head"]

    /// The schedule bands the expansion (through its folded batch norm and clip) into the
    /// depthwise convolution in evaluation where one image's expansion is larger than
    /// `minimumExpandedFloats` (64×64×96), not at 32×32, not in training, and not when
    /// anything else reads the expansion.
    @Test func theScheduleBandsLargeExpansionsOnly() throws {
        func schedule(_ lines: [String], size: Int, training: Bool = false) throws -> ExecutionSchedule {
            let net = try Network(graph: try graph(lines), inputChannels: 3, classes: 5, trainingHeight: size, trainingWidth: size, seed: 1)
            return ExecutionSchedule(plan: try net.modelPlan(height: size, width: size), hasParameters: net.hasParameters,
                                     capacity: 2, training: training)
        }
        #expect(64 * 64 * 96 > ExpansionBands.minimumExpandedFloats && 32 * 32 * 96 <= ExpansionBands.minimumExpandedFloats)
        let banded = try schedule(Self.block, size: 64)
        var expected = [Int?](repeating: nil, count: Self.block.count)
        expected[4] = 1
        #expect(banded.bandedFrom == expected)
        #expect(banded.skipsForward[1] && banded.storeClamps[1] == StoreClamp(lower: 0, upper: 6), "e runs in d's bands, with its clip")
        #expect(try schedule(Self.block, size: 32).bandedFrom.allSatisfy { $0 == nil })
        #expect(try schedule(Self.block, size: 64, training: true).bandedFrom.allSatisfy { $0 == nil })
        let read = Array(Self.block.prefix(7)) + ["q: maxpool 2 <- e.act", "sum: add <- d.act, q", "head: gap <- sum", "fc: dense 5 <- head"]
        #expect(try schedule(read, size: 64).bandedFrom.allSatisfy { $0 == nil }, "the expansion read by a pool too")
    }

    /// `predict` with the expansion in bands equals the same network with a dropout (the identity
    /// in evaluation) between the clip and the depthwise convolution, which the schedule cannot
    /// band, bit for bit, on 1 and 2 threads. The expansion reads a stem's output, which must
    /// stay until the bands end (the depthwise output must not take its place).
    @Test func predictionsEqualTheUnbandedNetwork() throws {
        try expectPredictionsEqualTheUnbandedNetwork(Self.block, inputChannels: 3, size: 64)
    }

    /// A `predict` split never cuts between the expansion and the depthwise layer it runs in (the
    /// tensor at such a cut is the expansion's, which is never stored). Here the depthwise layer
    /// is itself the first with large weights (29,200 channels: 262,800 weights > 2¹⁸), so the
    /// clip before it would be the cut: there is no split, and the logits equal the unbanded
    /// network's — also from a forward pass given no prepared weights (the expansion's then packed
    /// for the call).
    @Test func aSplitNeverCutsBetweenTheExpansionAndItsDepthwiseLayer() throws {
        let lines = ["e: conv 1x1 29200 <- input", "e.act: relu6 <- e", "d: conv 3x3 29200 groups 29200 pad 1 <- e.act",
                     "head: gap <- d", "fc: dense 5 <- head"]
        let net = try Network(graph: try graph(lines), inputChannels: 1, classes: 5, trainingHeight: 4, trainingWidth: 4, seed: 3)
        let plan = try net.modelPlan(height: 4, width: 4)
        let chunking = Network.evaluationChunking(plan)
        let schedule = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: chunking.images, training: false)
        #expect(chunking.layerParallel && schedule.bandedFrom[2] == 0, "the depthwise layer's weights grow the chunk; e runs in its bands")
        let split = Network.evaluationSplit(plan, schedule: schedule, tailImages: chunking.images)
        #expect(split == nil, "cut \(String(describing: split?.cut))")
        try expectPredictionsEqualTheUnbandedNetwork(lines, inputChannels: 1, size: 4)
        var generator = SplitMix64(seed: 8)
        let images = try Tensor(shape: [2, 4, 4, 1], values: reference.random(32, &generator))
        let ws = Workspace(plan: plan, hasParameters: net.hasParameters, capacity: 2, training: false)
        #expect(ws.schedule.bandedFrom[2] == 0)
        let unprepared: [Float] = images.values.withUnsafeBufferPointer { x in
            net.forward(x.baseAddress!, batch: 2, workspace: ws)
            return Array(UnsafeBufferPointer(start: ws.logits, count: 2 * 5))
        }
        #expect(try net.predict(images).values == unprepared)
    }

    /// `predict` of the network of `lines` (whose node "d" runs "e" in its bands) equals, bit for
    /// bit at 1 and 2 threads, that of the same network and parameters with a dropout (the
    /// identity in evaluation) before "d", which the schedule cannot band.
    private func expectPredictionsEqualTheUnbandedNetwork(_ lines: [String], inputChannels: Int, size: Int) throws {
        let d = try #require(lines.firstIndex { $0.hasPrefix("d:") })
        let input = try #require(lines[d].components(separatedBy: "<- ").last)
        let withDropout = Array(lines[..<d]) + ["drop: dropout 0.5 <- \(input)", lines[d].replacingOccurrences(of: "<- \(input)", with: "<- drop")]
            + lines[(d + 1)...]
        let banded = try Network(graph: try graph(lines), inputChannels: inputChannels, classes: 5, trainingHeight: size, trainingWidth: size, seed: 2)
        let unbanded = try Network(graph: try graph(withDropout), inputChannels: inputChannels, classes: 5,
                                   trainingHeight: size, trainingWidth: size, seed: 2)
        #expect(banded.arena.count == unbanded.arena.count)
        unbanded.arena.values.update(from: banded.arena.values, count: banded.arena.count)
        for net in [banded, unbanded] {
            let schedule = ExecutionSchedule(plan: try net.modelPlan(height: size, width: size), hasParameters: net.hasParameters,
                                             capacity: 1, training: false)
            #expect(schedule.bandedFrom.contains { $0 != nil } == (net === banded))
        }
        var generator = SplitMix64(seed: 5)
        let count = 3 * size * size * inputChannels
        let images = try Tensor(shape: [3, size, size, inputChannels], values: reference.random(count, &generator))
        let expected = try reference.withThreads(1) { try unbanded.predict(images) }
        #expect(!expected.values.contains { $0.isNaN })
        for threads in [1, 2] {
            #expect(try reference.withThreads(threads) { try banded.predict(images) }.values == expected.values, "\(threads) threads")
        }
    }
}
