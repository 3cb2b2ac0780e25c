import Testing
@testable import NN

/// The liveness allocator and the schedule built on it.
@Suite struct LivenessTests {
    @Test func buffersAreReusedOnceFree() {
        // A lives over steps 0–1, B 1–2, C 2–3: C takes A's block (A was freed after step 1).
        let plan = BufferPlan([.init(floats: 16, birth: 0, death: 1), .init(floats: 16, birth: 1, death: 2),
                               .init(floats: 16, birth: 2, death: 3)])
        #expect(plan.offsets == [0, 16, 0] && plan.floats == 32)
    }

    @Test func freedNeighboursMerge() {
        // A and B die at step 0; C (twice their size) fits in the merged block.
        let plan = BufferPlan([.init(floats: 16, birth: 0, death: 0), .init(floats: 16, birth: 0, death: 0),
                               .init(floats: 32, birth: 1, death: 1)])
        #expect(plan.offsets == [0, 16, 0] && plan.floats == 32)
    }

    @Test func theBestFittingBlockIsTaken() {
        // Free after step 0: [0, 48) from A and [64, 80) from C (B holds [48, 64)); D (16) takes
        // the 16-float block, not the start of the 48-float one.
        let plan = BufferPlan([.init(floats: 48, birth: 0, death: 0), .init(floats: 16, birth: 0, death: 2),
                               .init(floats: 16, birth: 0, death: 0), .init(floats: 16, birth: 1, death: 2)])
        #expect(plan.offsets == [0, 48, 64, 64] && plan.floats == 80)
    }

    @Test func evaluationOfAChainNeedsTwoBuffers() throws {
        let spec = try ModelSpec(parsing: "conv 3x3 8, relu, conv 3x3 8, relu, conv 3x3 8, relu, conv 3x3 8, relu, gap")
        let net = try Network(spec: spec, inputChannels: 3, classes: 4, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let plan = try net.modelPlan(height: 8, width: 8)
        let schedule = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 2, training: false)
        #expect(schedule.floats == 2 * 2 * 8 * 8 * 8)
        // Every ReLU is fused into its convolution and shares its buffer.
        #expect(schedule.skipsForward == [false, true, false, true, false, true, false, true, false, false])
        #expect((0..<4).allSatisfy { schedule.outputOffsets[2 * $0] == schedule.outputOffsets[2 * $0 + 1] })
    }

    /// In evaluation a 2×2 max pool over a convolution is taken in its store: the pool does not
    /// run and the convolution's full-size output takes no memory. Also in training; not through
    /// an activation the store does not apply, and not when the convolution's output has another
    /// reader (PooledStoreTests: not for an odd map on the window path).
    @Test func aMaxPoolIsTakenInAConvolutionsStore() throws {
        let spec = try ModelSpec(parsing: "conv 3x3 16, relu, maxpool 2, conv 3x3 16, relu, maxpool 2, conv 3x3 16, sigmoid, maxpool 2, gap")
        let net = try Network(spec: spec, inputChannels: 3, classes: 4, trainingHeight: 16, trainingWidth: 16, seed: 1)
        let plan = try net.modelPlan(height: 16, width: 16)
        let evaluation = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 2, training: false)
        #expect(evaluation.pooledInto == [2, nil, nil, 5, nil, nil, nil, nil, nil, nil, nil])
        #expect(evaluation.skipsForward[2] && evaluation.skipsForward[5] && !evaluation.skipsForward[8])
        // Training: the same two pools (the window path; Winograd is evaluation-only), each
        // ReLU masked by its pool.
        let training = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 2, training: true)
        #expect(training.pooledInto == evaluation.pooledInto && training.maskedByPool[1] && training.maskedByPool[4])

        let branched = try Network(graph: try graph(["stem: conv 3x3 16 <- input", "a: conv 3x3 16 <- stem", "pool: maxpool 2 <- a",
                                                     "skip: maxpool 2 <- stem", "sum: add <- pool, skip", "head: gap <- sum",
                                                     "fc: dense 3 <- head"]),
                                   inputChannels: 16, classes: 3, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let schedule = ExecutionSchedule(plan: try branched.modelPlan(height: 8, width: 8), hasParameters: branched.hasParameters,
                                         capacity: 1, training: false)
        #expect(schedule.pooledInto == [nil, 2, nil, nil, nil, nil, nil], "a is pooled in its store; stem is read twice")

        // The block holds the pool's 4×4×16 output and gap's 16 floats, not the convolution's 8×8×16.
        let single = try Network(spec: try ModelSpec(parsing: "conv 3x3 16, relu, maxpool 2, gap"), inputChannels: 16, classes: 4,
                                 trainingHeight: 8, trainingWidth: 8, seed: 1)
        let pooled = ExecutionSchedule(plan: try single.modelPlan(height: 8, width: 8), hasParameters: single.hasParameters,
                                       capacity: 1, training: false)
        #expect(pooled.pooledInto[0] == 2 && pooled.floats == 4 * 4 * 16 + 16)
    }

    @Test func aTensorReadTwiceAccumulatesThroughATemporary() throws {
        let net = try Network(graph: try graph(["stem: conv 3x3 4 <- input", "twice: add <- stem, stem", "pool: gap <- twice",
                                                "fc: dense 3 <- pool"]),
                              inputChannels: 2, classes: 3, trainingHeight: 4, trainingWidth: 4, seed: 1)
        let schedule = ExecutionSchedule(plan: try net.modelPlan(height: 4, width: 4), hasParameters: net.hasParameters,
                                         capacity: 1, training: true)
        let targets = schedule.inputGradients[1]
        #expect(targets[0]?.accumulateInto == nil && targets[1]?.accumulateInto == targets[0]?.target)
        #expect(targets[1]?.target != targets[0]?.target)
        // The stem's input is the image: no gradient is computed for it.
        #expect(schedule.inputGradients[0] == [nil])
    }

    @Test func trainingKeepsWhatBackwardReads() throws {
        // maxpool's backward reads its output, so the ReLU after it cannot overwrite it.
        let net = try Network(spec: try ModelSpec(parsing: "conv 3x3 4, maxpool 2, relu, gap"), inputChannels: 2, classes: 3,
                              trainingHeight: 4, trainingWidth: 4, seed: 1)
        let plan = try net.modelPlan(height: 4, width: 4)
        let training = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 1, training: true)
        #expect(training.outputOffsets[1] != training.outputOffsets[2])
        let evaluation = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 1, training: false)
        #expect(evaluation.outputOffsets[1] == evaluation.outputOffsets[2])
    }

    @Test func aMaxPoolAppliesTheMaskOfTheReLUItAloneReads() throws {
        // Nodes: 0 conv, 1 relu, 2 maxpool, 3 conv, 4 relu, 5 gap, 6 dense.
        let net = try Network(spec: try ModelSpec(parsing: "conv 3x3 4, relu, maxpool 2, conv 3x3 4, relu, gap"), inputChannels: 2,
                              classes: 3, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let plan = try net.modelPlan(height: 8, width: 8)
        let training = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 1, training: true)
        #expect(training.maskedByPool == [false, true, false, false, false, false, false], "only the ReLU before the pool")
        #expect(training.gradientOffsets[0] == training.gradientOffsets[1], "its gradient is in place")
        let evaluation = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 1, training: false)
        #expect(!evaluation.maskedByPool.contains(true))
        // A ReLU also read by a second node keeps its own backward pass.
        let fanOut = try Network(graph: try graph(["c: conv 3x3 4 <- input", "r: relu <- c", "p: maxpool 2 <- r", "q: maxpool 2 <- r",
                                                   "s: add <- p, q", "g: gap <- s", "fc: dense 3 <- g"]),
                                 inputChannels: 2, classes: 3, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let shared = ExecutionSchedule(plan: try fanOut.modelPlan(height: 8, width: 8), hasParameters: fanOut.hasParameters,
                                       capacity: 1, training: true)
        #expect(!shared.maskedByPool.contains(true))
    }

    /// The reference CNN training at batch 64, 128 px: the list engine kept every output and two
    /// alternating gradient buffers (73,409,152 + 33,554,432 + 8,388,608 floats, 461 MB). By
    /// liveness, gradients reuse the outputs backward is done with, and each pool is taken in
    /// its convolution's store (the three convolution outputs, 58.7 M floats, never stored; the
    /// pools' winners, 14.7 M floats, are saved state beside the block). The widest point is
    /// the first pool's backward: its output (read for the ReLU mask, 8 Mi floats), its output
    /// gradient (8 Mi) and the 32 Mi-float gradient it writes (hand-worked in docs/engine.md).
    @Test func referenceCNNTrainingFitsInLessMemory() throws {
        let net = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 128, trainingWidth: 128, seed: 1)
        let schedule = ExecutionSchedule(plan: try net.modelPlan(height: 128, width: 128), hasParameters: net.hasParameters,
                                         capacity: 64, training: true)
        #expect(schedule.pooledInto.compactMap { $0 }.count == 3)
        #expect(schedule.floats == 8_388_608 + 8_388_608 + 33_554_432)
        #expect(schedule.floats < 73_409_152 + 33_554_432 + 8_388_608)
    }
}
