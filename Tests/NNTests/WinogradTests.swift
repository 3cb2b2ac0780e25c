import Kernels
import SeededRandom
import Testing
@testable import NN

/// Winograd's F(2×2, 3×3) in the evaluation forward pass against the direct convolution in
/// Double (ConvolutionBlockTests' `direct`): odd and even maps (a last tile half outside), same,
/// valid and asymmetric padding, channel and filter counts that are not multiples of 16, blocks of
/// 256 tiles across images; bit-identical on 1 and 2 threads and with the weights prepared once
/// (`evaluationWeights`, as `predict` passes them) or per call.
@Suite(.serialized) struct WinogradTests {
    let reference = ConvolutionBlockTests()

    @Test(arguments: [("conv 3x3 16", 16, 9), ("conv 3x3 40", 24, 14), ("conv 3x3 16 pad valid", 37, 13),
                      ("conv 3x3 32 pad 0,1,2,1", 16, 11), ("conv 3x3 17", 33, 8)])
    func matchesTheDirectConvolution(_ layer: String, _ channels: Int, _ size: Int) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: size, width: size + 3, channels: channels)[0]
        let batch = 13
        let conv = Convolution(plan: plan, batch: batch)
        #expect(WinogradConvolution.applies(to: conv))
        #expect(batch * WinogradConvolution(conv: conv).tilesPerImage > WinogradConvolution.blockTiles, "several blocks")
        var generator = SplitMix64(seed: 5)
        let x = reference.random(batch * plan.input.count, &generator)
        let weight = reference.random(conv.depth * conv.filters, &generator), bias = reference.random(conv.filters, &generator)
        func evaluate(threads: Int, prepared: Bool) -> [Float] {
            let saved = Parallel.threadCount
            Parallel.threadCount = threads
            defer { Parallel.threadCount = saved }
            let ws = Workspace(plans: [plan], capacity: batch, training: false)
            var y = [Float](repeating: .nan, count: batch * plan.output.count)
            let packed = prepared ? weight.withUnsafeBufferPointer { conv.evaluationWeights($0.baseAddress!) } : nil
            conv.forward(x: x, weight: weight, bias: bias, y: &y, relu: false, scratch: ws.scratch, evaluation: true, packed: packed)
            return y
        }
        let y = evaluate(threads: 1, prepared: false)
        // Inputs and weights in [−1, 1), K = 9·C ≤ 333 terms: the direct sums reach ~10; the
        // transforms add and subtract up to 9 products per term, so allow 2e-6 of the largest output.
        #expect(reference.maxRelativeError(y, reference.direct(plan, batch: batch).y) < 2e-6)
        #expect(evaluate(threads: 2, prepared: false) == y)
        #expect(evaluate(threads: 1, prepared: true) == y)
    }

    /// A 2×2 max pool taken in the store (`pooled`) equals the stored convolution then
    /// `Pooling.maxForward`, bit for bit: even and odd maps, floor and ceil rounding (a last tile
    /// cut to its row or column, or dropped), with and without the fused ReLU.
    @Test(arguments: [("maxpool 2", 12, true), ("maxpool 2", 11, true), ("maxpool 2 ceil", 11, true),
                      ("maxpool 2 ceil", 9, false), ("maxpool 2", 9, false), ("maxpool 2 ceil", 10, true)])
    func poolingInTheStoreEqualsThePoolAfter(_ pool: String, _ size: Int, _ relu: Bool) throws {
        let plans = try ModelSpec(parsing: ["conv 3x3 20", pool]).plan(height: size, width: size + 1, channels: 17)
        let (plan, poolPlan) = (plans[0], plans[1])
        let batch = 11
        let conv = Convolution(plan: plan, batch: batch)
        #expect(WinogradConvolution.applies(to: conv))
        var generator = SplitMix64(seed: 9)
        let x = reference.random(batch * plan.input.count, &generator)
        let weight = reference.random(conv.depth * conv.filters, &generator), bias = reference.random(conv.filters, &generator)
        let ws = Workspace(plans: [plan], capacity: batch, training: false)
        var y = [Float](repeating: .nan, count: batch * plan.output.count)
        conv.forward(x: x, weight: weight, bias: bias, y: &y, relu: relu, scratch: ws.scratch, evaluation: true)
        var pooledAfter = [Float](repeating: .nan, count: batch * poolPlan.output.count)
        Pooling(plan: poolPlan, batch: batch).maxForward(x: y, y: &pooledAfter, scratch: ws.scratch)
        var pooledInStore = [Float](repeating: .nan, count: batch * poolPlan.output.count)
        conv.forward(x: x, weight: weight, bias: bias, y: &pooledInStore, relu: relu, scratch: ws.scratch, evaluation: true,
                     pooled: poolPlan.output)
        #expect(pooledInStore == pooledAfter)
        #expect(pooledInStore.contains { $0 != pooledInStore[0] }, "a varied output")
    }

    /// Where it applies: 3×3, stride 1, undilated, ungrouped, ≥ 16 channels and filters, and at
    /// least C / 16 tiles per image (ResNet-18's 7×7×512 maps stay direct; the reference CNN's
    /// 4×4×64 layer at 16 px, 4 tiles, does not; 4×4×128 would not).
    @Test func appliesOnlyWhereItPays() throws {
        func applies(_ layer: String, channels: Int, size: Int) throws -> Bool {
            let plan = try ModelSpec(parsing: [layer]).plan(height: size, width: size, channels: channels)[0]
            return WinogradConvolution.applies(to: Convolution(plan: plan, batch: 1))
        }
        #expect(try applies("conv 3x3 64", channels: 64, size: 56))
        #expect(try applies("conv 3x3 256", channels: 256, size: 14))
        #expect(try !applies("conv 3x3 512", channels: 512, size: 7))
        #expect(try applies("conv 3x3 128", channels: 64, size: 4))
        #expect(try !applies("conv 3x3 128", channels: 128, size: 4))
        #expect(try !applies("conv 3x3 64 stride 2", channels: 64, size: 56))
        #expect(try !applies("conv 3x3 64 dilation 2", channels: 64, size: 56))
        #expect(try !applies("conv 3x3 64 groups 2", channels: 64, size: 56))
        #expect(try !applies("conv 5x5 64", channels: 64, size: 56))
        #expect(try !applies("conv 3x3 32", channels: 3, size: 56))
        #expect(try !applies("conv 3x3 8", channels: 32, size: 56))
    }
}
