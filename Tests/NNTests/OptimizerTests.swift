import Foundation
import Testing
@testable import NN

@Suite struct OptimizerTests {
    @Test func schedulesWarmUpThenDecay() {
        let cosine = LearningRateSchedule(base: 1, warmupSteps: 4, decay: .cosine(totalSteps: 14, finalFraction: 0.1))
        #expect((0..<4).map(cosine.rate) == [0.25, 0.5, 0.75, 1])
        #expect(cosine.rate(at: 4) == 1)
        #expect(abs(cosine.rate(at: 9) - 0.55) < 1e-6)   // halfway: (1 + 0.1) / 2
        #expect(abs(cosine.rate(at: 14) - 0.1) < 1e-6 && abs(cosine.rate(at: 99) - 0.1) < 1e-6)
        let step = LearningRateSchedule(base: 1, warmupSteps: 0, decay: .step(every: 3, gamma: 0.5))
        #expect((0..<7).map(step.rate) == [1, 1, 1, 0.5, 0.5, 0.5, 0.25])
    }

    /// One parameter w = 2 with gradient g = 0.5 (a single-entry arena), by hand.
    func update(_ kind: OptimizerKind, weightDecay: Float, steps: Int) -> Float {
        let arena = ParameterArena(entries: [ParameterEntry(name: "w", shape: [1], offset: 0, role: .weight)])
        arena.values[0] = 2
        let optimizer = Optimizer(kind, schedule: LearningRateSchedule(base: 0.1), weightDecay: weightDecay)
        for _ in 0..<steps {
            arena.gradients[0] = 0.5
            optimizer.update(arena)
        }
        return arena.values[0]
    }

    @Test func updatesMatchTheFormulas() {
        // SGD momentum 0.9, decay 0.01: g' = 0.52; v1 = 0.52 → w1 = 1.948; g' = 0.51948, v2 = 0.9·0.52 + 0.51948.
        let v2: Float = 0.9 * 0.52 + (0.5 + 0.01 * 1.948)
        #expect(abs(update(.sgd(momentum: 0.9, nesterov: false), weightDecay: 0.01, steps: 2) - (1.948 - 0.1 * v2)) < 1e-6)
        // Nesterov, one step: w −= lr·(g + μ·v) = 0.1·(0.5 + 0.9·0.5).
        #expect(abs(update(.sgd(momentum: 0.9, nesterov: true), weightDecay: 0, steps: 1) - (2 - 0.095)) < 1e-6)
        // AdamW, one step: m̂ = g, v̂ = g², so w −= lr·(1 + λw) (ε negligible).
        #expect(abs(update(.adamW, weightDecay: 0.1, steps: 1) - (2 - 0.1 * (1 + 0.2))) < 1e-6)
    }
}
