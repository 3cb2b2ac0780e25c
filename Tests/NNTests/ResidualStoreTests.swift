import Kernels
import SeededRandom
import Testing
@testable import NN

/// A residual add taken in a convolution's store (`residual`, `ExecutionSchedule.residualFrom`)
/// equals the stored convolution, then the add, then the ReLU, bit for bit, on 1 and 2 threads,
/// on every path a convolution's evaluation takes: Winograd (odd maps: a last half tile reads
/// the residual of pixels inside the map only), the windows read in place (strided too), the
/// pointwise GEMM, and the grouped im2col blocks.
@Suite(.serialized) struct ResidualStoreTests {
    let reference = ConvolutionBlockTests()

    @Test(arguments: [("conv 3x3 20", 17, 11, true), ("conv 3x3 24", 16, 10, false), ("conv 3x3 40 stride 2", 12, 13, true),
                      ("conv 1x1 48", 24, 9, true), ("conv 3x3 32 groups 4", 16, 8, true), ("conv 5x5 8", 3, 12, false)])
    func equalsTheAddAfterTheConvolution(_ layer: String, _ channels: Int, _ size: Int, _ relu: Bool) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: size, width: size + 2, channels: channels)[0]
        let batch = 9
        let conv = Convolution(plan: plan, batch: batch)
        var generator = SplitMix64(seed: 3)
        let (x, weight, bias) = reference.randomLayer(conv, &generator)
        let skip = reference.random(batch * plan.output.count, &generator)
        func evaluate(threads: Int, fused: Bool) -> [Float] { reference.withThreads(threads) {
            let ws = Workspace(plans: [plan], capacity: batch, training: false)
            var y = [Float](repeating: .nan, count: batch * plan.output.count)
            if fused {
                conv.forward(x: x, weight: weight, bias: bias, y: &y, clamp: relu ? .relu : .none, scratch: ws.scratch, evaluation: true, residual: skip)
            } else {
                conv.forward(x: x, weight: weight, bias: bias, y: &y, clamp: .none, scratch: ws.scratch, evaluation: true)
                for i in y.indices { y[i] = relu ? max(0, y[i] + skip[i]) : y[i] + skip[i] }
            }
            return y
        } }
        let after = evaluate(threads: 1, fused: false)
        #expect(after.contains { $0 != after[0] } && !after.contains { $0.isNaN }, "a varied output, every value written")
        #expect(evaluate(threads: 1, fused: true) == after)
        #expect(evaluate(threads: 2, fused: true) == after)
    }

    /// The schedule takes an identity block's add (and the ReLU after it) into the second
    /// convolution's store, through its folded batch norm; not a projection block's add (the
    /// projection is computed after the convolution), not an add after a ReLU, not in training.
    @Test func theScheduleTakesIdentityBlocksAdds() throws {
        let net = try Network(graph: try graph([
            "stem: conv 3x3 16 <- input", "a1: conv 3x3 16 <- stem", "a2: bn <- a1", "a3: relu <- a2", "a4: conv 3x3 16 <- a3",
            "a5: bn <- a4", "a.add: add <- a5, stem", "a.relu: relu <- a.add",
            "b1: conv 3x3 32 stride 2 <- a.relu", "b2: relu <- b1", "b3: conv 3x3 32 <- b2", "p: conv 1x1 32 stride 2 <- a.relu",
            "b.add: add <- b3, p", "c1: conv 3x3 32 <- b.add", "c2: relu <- c1", "c.add: add <- c2, b.add",
            "head: gap <- c.add", "fc: dense 3 <- head"]),
            inputChannels: 3, classes: 3, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let plan = try net.modelPlan(height: 8, width: 8)
        let evaluation = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 1, training: false)
        var expected = [Int?](repeating: nil, count: plan.nodes.count)
        expected[4] = 0
        #expect(evaluation.residualFrom == expected)
        #expect(evaluation.skipsForward[6] && evaluation.skipsForward[7] && evaluation.storeClamps[4] == .relu, "the add and its ReLU go to a4")
        #expect(!evaluation.skipsForward[12] && !evaluation.skipsForward[15], "the projection block's and the post-ReLU adds run")
        let training = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 1, training: true)
        #expect(training.residualFrom.allSatisfy { $0 == nil } && !training.skipsForward[6])
    }
}
