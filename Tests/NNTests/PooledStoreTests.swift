import Kernels
import SeededRandom
import Testing
@testable import NN

/// A 2×2 max pool taken in a convolution's store (`pooled`, Convolution+PooledStore.swift) equals
/// the stored convolution then `Pooling.maxForward`, bit for bit, on 1 and 2 threads: Winograd's
/// tiles (even and odd maps, floor and ceil rounding: a last tile cut to its row or column, or
/// dropped) and the in-place window path (the RGB stem; blocks of pairs of rows across images),
/// with and without the fused ReLU.
@Suite(.serialized) struct PooledStoreTests {
    let reference = ConvolutionBlockTests()

    @Test(arguments: [("conv 3x3 20", 17, "maxpool 2", 12, true, true), ("conv 3x3 20", 17, "maxpool 2", 11, true, true),
                      ("conv 3x3 20", 17, "maxpool 2 ceil", 11, true, true), ("conv 3x3 20", 17, "maxpool 2 ceil", 9, false, true),
                      ("conv 3x3 20", 17, "maxpool 2", 9, false, true), ("conv 3x3 20", 17, "maxpool 2 ceil", 10, true, true),
                      ("conv 3x3 32", 3, "maxpool 2", 16, true, false), ("conv 3x3 19", 3, "maxpool 2 ceil", 10, false, false),
                      ("conv 5x5 24 pad 2", 8, "maxpool 2", 20, true, false)])
    func equalsThePoolAfterTheConvolution(_ layer: String, _ channels: Int, _ pool: String, _ size: Int, _ relu: Bool,
                                          _ winograd: Bool) throws {
        let plans = try ModelSpec(parsing: [layer, pool]).plan(height: size, width: size + 1 + (winograd ? 0 : 1), channels: channels)
        let (plan, poolPlan) = (plans[0], plans[1])
        let batch = 32
        let conv = Convolution(plan: plan, batch: batch)
        #expect(WinogradConvolution.applies(to: conv) == winograd && conv.takesMaxPoolInStore(evaluation: true))
        if !winograd { #expect(batch * plan.output.height > conv.pooledBlockRows, "several blocks") }
        var generator = SplitMix64(seed: 9)
        let (x, weight, bias) = reference.randomLayer(conv, &generator)
        func evaluate(threads: Int, pooled: Bool) -> [Float] { reference.withThreads(threads) {
            let ws = Workspace(plans: [plan, poolPlan], capacity: batch, training: false)
            #expect(ws.schedule.pooledInto[0] == 1)
            var out = [Float](repeating: .nan, count: batch * poolPlan.output.count)
            if pooled {
                conv.forward(x: x, weight: weight, bias: bias, y: &out, clamp: relu ? .relu : .none, scratch: ws.scratch, evaluation: true,
                             pooled: poolPlan.output)
            } else {
                var y = [Float](repeating: .nan, count: batch * plan.output.count)
                conv.forward(x: x, weight: weight, bias: bias, y: &y, clamp: relu ? .relu : .none, scratch: ws.scratch, evaluation: true)
                Pooling(plan: poolPlan, batch: batch).maxForward(x: y, y: &out, scratch: ws.scratch)
            }
            return out
        } }
        let after = evaluate(threads: 1, pooled: false)
        #expect(after.contains { $0 != after[0] } && !after.contains { $0.isNaN }, "a varied output, every value written")
        #expect(evaluate(threads: 1, pooled: true) == after)
        #expect(evaluate(threads: 2, pooled: true) == after)
    }

    /// In training, the store's pooled output equals the pool's, and the backward pass from its
    /// winners equals `maxBackward` reading x, bit for bit, with and without the ReLU mask: on the
    /// window path (3, 8 and 17 channels: Winograd trains from 32) and Winograd's (32 channels).
    @Test(arguments: [("conv 3x3 32", 3, 16, true), ("conv 3x3 20", 17, 12, false), ("conv 3x3 24 stride 2", 8, 20, true),
                      ("conv 3x3 64", 32, 8, true)])
    func trainingWinnersGiveThePoolsGradient(_ layer: String, _ channels: Int, _ size: Int, _ relu: Bool) throws {
        let plans = try ModelSpec(parsing: [layer, "maxpool 2"]).plan(height: size, width: size + 4, channels: channels)
        let (plan, poolPlan) = (plans[0], plans[1])
        let batch = 24
        let conv = Convolution(plan: plan, batch: batch), pool = Pooling(plan: poolPlan, batch: batch)
        #expect(conv.takesMaxPoolInStore(evaluation: false))
        #expect(WinogradConvolution.applies(to: conv, training: true) == (channels >= 32), "the path named above")
        var generator = SplitMix64(seed: 11)
        let (x, weight, bias) = reference.randomLayer(conv, &generator)
        let dy = reference.random(batch * poolPlan.output.count, &generator)
        let ws = Workspace(plans: [plan, poolPlan], capacity: batch, training: true)
        #expect(ws.schedule.pooledInto[0] == 1 && ws.savedFloats[1] != nil)
        var full = [Float](repeating: .nan, count: batch * plan.output.count)
        conv.forward(x: x, weight: weight, bias: bias, y: &full, clamp: relu ? .relu : .none, scratch: ws.scratch)
        var pooledAfter = [Float](repeating: .nan, count: batch * poolPlan.output.count)
        pool.maxForward(x: full, y: &pooledAfter, scratch: ws.scratch)
        var pooledInStore = [Float](repeating: .nan, count: batch * poolPlan.output.count)
        var winners = [Float](repeating: .nan, count: batch * poolPlan.output.count)
        conv.forward(x: x, weight: weight, bias: bias, y: &pooledInStore, clamp: relu ? .relu : .none, scratch: ws.scratch, pooled: poolPlan.output,
                     winners: &winners)
        #expect(pooledInStore == pooledAfter)
        #expect(winners.allSatisfy { [0, 1, 2, 3].contains($0) } && Set(winners).count == 4)
        var dxFromX = [Float](repeating: .nan, count: batch * plan.output.count)
        pool.maxBackward(x: full, y: pooledAfter, dy: dy, dx: &dxFromX, reluMask: relu, scratch: ws.scratch)
        var dxFromWinners = [Float](repeating: .nan, count: batch * plan.output.count)
        pool.tiledMaxBackward(winners: winners, y: pooledInStore, dy: dy, dx: &dxFromWinners, reluMask: relu, scratch: ws.scratch)
        #expect(dxFromWinners == dxFromX)
        #expect(dxFromX.contains { $0 != 0 })
    }

    /// Where the window path cannot pair rows (an odd map), no pool is taken in its store; nor in
    /// training where Winograd applies (its pool's backward needs windows that tile the map),
    /// while an evaluation takes it there.
    @Test func anOddMapOnTheWindowPathKeepsItsPool() throws {
        let plans = try ModelSpec(parsing: ["conv 3x3 32", "maxpool 2"]).plan(height: 15, width: 16, channels: 3)
        #expect(!Convolution(plan: plans[0], batch: 1).takesMaxPoolInStore(evaluation: true))
        #expect(Workspace(plans: plans, capacity: 1, training: false).schedule.pooledInto == [nil, nil])
        let winograd = try ModelSpec(parsing: ["conv 3x3 32", "maxpool 2"]).plan(height: 15, width: 16, channels: 32)
        #expect(WinogradConvolution.applies(to: Convolution(plan: winograd[0], batch: 1), training: true))
        #expect(Workspace(plans: winograd, capacity: 1, training: true).schedule.pooledInto == [nil, nil])
        #expect(Workspace(plans: winograd, capacity: 1, training: false).schedule.pooledInto == [1, nil])
    }
}
