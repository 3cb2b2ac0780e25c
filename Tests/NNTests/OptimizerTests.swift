import Foundation
import Kernels
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

    /// An arena whose tensors leave vector tails and span several chunks of `Optimizer.chunkFloats`,
    /// with a running mean (never updated) and a tensor outside `trainableEntries` (left alone):
    /// three steps against the formulas in Double, and the same bits on 1 and 2 threads.
    @Test(arguments: [OptimizerKind.adamW, .sgd(momentum: 0.9, nesterov: true), .sgd(momentum: 0.8, nesterov: false)])
    func updatesEveryChunkAsTheFormulasSay(kind: OptimizerKind) {
        let shapes: [(Int, ParameterEntry.Role)] = [(37, .weight), (5, .bias), (2 * Optimizer.chunkFloats + 19, .weight),
                                                    (7, .runningMean), (33, .weight)]
        var offset = 0
        let entries = shapes.enumerated().map { index, shape in
            defer { offset += shape.0 }
            return ParameterEntry(name: "t\(index)", shape: [shape.0], offset: offset, role: shape.1)
        }
        let count = offset, steps = 3, lr = 0.01, decay = 0.05
        func value(_ i: Int, _ salt: Int) -> Float { Float((i &* 7919 &+ salt &* 104_729) % 2001 - 1000) / 1000 }
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        var results: [[Float]] = []
        for threads in [1, 2] {
            Parallel.threadCount = threads
            let arena = ParameterArena(entries: entries)
            for i in 0..<count { arena.values[i] = value(i, 0) }
            let optimizer = Optimizer(kind, schedule: LearningRateSchedule(base: Float(lr)), weightDecay: Float(decay))
            optimizer.trainableEntries = [0, 1, 2, 3]
            for step in 0..<steps {
                for i in 0..<count { arena.gradients[i] = value(i, step + 1) }
                optimizer.update(arena)
            }
            results.append(Array(UnsafeBufferPointer(start: arena.values, count: count)))
        }
        #expect(results[0].map(\.bitPattern) == results[1].map(\.bitPattern))

        // The formulas of OptimizerKind in Double, value by value.
        var worst = 0.0
        for (index, entry) in entries.enumerated() {
            let moves = index < 3
            for i in entry.offset..<entry.offset + entry.count {
                var w = Double(value(i, 0)), m = 0.0, v = 0.0
                let λ = entry.role.decays ? decay : 0
                for step in 0..<steps where moves {
                    let g = Double(value(i, step + 1))
                    switch kind {
                    case let .sgd(momentum, nesterov):
                        let grad = g + λ * w
                        m = Double(momentum) * m + grad
                        w -= lr * (nesterov ? grad + Double(momentum) * m : m)
                    case let .adamW(beta1, beta2, epsilon):
                        let (b1, b2) = (Double(beta1), Double(beta2))
                        m = b1 * m + (1 - b1) * g
                        v = b2 * v + (1 - b2) * g * g
                        let mHat = m / (1 - pow(b1, Double(step + 1))), vHat = v / (1 - pow(b2, Double(step + 1)))
                        w -= lr * (mHat / (vHat.squareRoot() + Double(epsilon)) + λ * w)
                    }
                }
                if moves {
                    worst = max(worst, abs(Double(results[0][i]) - w))
                } else {
                    #expect(results[0][i] == value(i, 0), "\(entry.name)[\(i - entry.offset)] moved")
                }
            }
        }
        #expect(worst < 2e-6, "largest difference from the formulas in Double: \(worst)")
    }
}
