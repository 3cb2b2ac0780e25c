import Foundation
import Kernels

/// How parameters move given their gradients.
public enum OptimizerKind: Equatable, Sendable, Codable {
    /// SGD with momentum μ (PyTorch's form): g' = g + λw; v = μv + g'; w −= lr·(Nesterov ? g' + μv : v).
    /// Weight decay λ is the coupled L2 form.
    case sgd(momentum: Float, nesterov: Bool)
    /// AdamW (Loshchilov & Hutter 2019): m = β₁m + (1 − β₁)g; v = β₂v + (1 − β₂)g²;
    /// w −= lr·(m̂ / (√v̂ + ε) + λw) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). Decay is decoupled.
    case adamW(beta1: Float, beta2: Float, epsilon: Float)

    public static let adamW = OptimizerKind.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
}

/// An optimizer and its state (momentum, Adam moments), sized to the network on first use.
/// Weight decay touches only `ParameterEntry.Role.decays` tensors; running statistics are never
/// updated by it.
public final class Optimizer {
    public let kind: OptimizerKind
    public let schedule: LearningRateSchedule
    public let weightDecay: Float
    /// When set, the parameter mask: only the tensors at these positions of `Network.parameters`
    /// are updated; every other tensor stays bit-identical (no step, no weight decay, no moments).
    /// FixRes sets it to `Network.classifierAndBatchNormParameters`.
    public var trainableEntries: Set<Int>?
    /// Steps taken so far (the schedule's position).
    public private(set) var step = 0
    private var first: UnsafeMutablePointer<Float>?
    private var second: UnsafeMutablePointer<Float>?
    private var stateCount = 0

    public init(_ kind: OptimizerKind, schedule: LearningRateSchedule, weightDecay: Float = 0) {
        self.kind = kind
        self.schedule = schedule
        self.weightDecay = weightDecay
    }

    deinit {
        first?.deallocate()
        second?.deallocate()
    }

    /// The learning rate the next update will use.
    public var learningRate: Float { schedule.rate(at: step) }

    /// Applies one update to every trainable tensor of `arena` from `arena.gradients`.
    ///
    /// The tensors are cut into chunks of at most `chunkFloats` values that the threads take
    /// dynamically (`Parallel.forChunks`), 16 values at a time: every value gets the same
    /// operations, in the same order, as the scalar formulas above, so the result does not
    /// depend on the chunks or the threads. (One thread on a scalar loop took ~0.5 ms of a
    /// 31 ms two-thread training step of the reference CNN's 94,538 parameters while the other
    /// thread waited.)
    func update(_ arena: ParameterArena) {
        if stateCount != arena.count {
            first?.deallocate()
            second?.deallocate()
            first = .allocate(capacity: max(1, arena.count))
            first!.initialize(repeating: 0, count: max(1, arena.count))
            second = .allocate(capacity: max(1, arena.count))
            second!.initialize(repeating: 0, count: max(1, arena.count))
            stateCount = arena.count
        }
        let lr = learningRate
        step += 1
        let chunkFloats = Optimizer.chunkFloats
        let chunks = arena.entries.indices.reduce(0) { total, index in
            total + (updates(arena, index) ? Optimizer.chunks(of: arena.entries[index].count) : 0)
        }
        Parallel.forChunks(chunks) { _, chunk in
            // Chunk `chunk` is the (chunk − earlier entries' chunks)-th slice of one entry.
            var remaining = chunk
            for (index, entry) in arena.entries.enumerated() where updates(arena, index) {
                let slices = Optimizer.chunks(of: entry.count)
                guard remaining < slices else {
                    remaining -= slices
                    continue
                }
                let start = entry.offset + remaining * chunkFloats
                update(count: min(chunkFloats, entry.count - remaining * chunkFloats),
                       w: arena.values + start, g: arena.gradients + start, m: first! + start, v: second! + start,
                       learningRate: lr, decay: entry.role.decays ? weightDecay : 0)
                return
            }
        }
    }

    /// Values per chunk of an update.
    static let chunkFloats = 16_384

    /// The chunks of `chunkFloats` values a tensor of `count` values is cut into.
    private static func chunks(of count: Int) -> Int { (count + chunkFloats - 1) / chunkFloats }

    /// Whether `update` moves entry `index` of `arena`.
    private func updates(_ arena: ParameterArena, _ index: Int) -> Bool {
        arena.entries[index].role.isTrainable && trainableEntries?.contains(index) != false
    }

    /// One update of `count` consecutive values w with gradients g and moments m (and v for
    /// AdamW): the formulas of `OptimizerKind`, on 16 values at a time, then one at a time.
    private func update(count: Int, w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, learningRate lr: Float, decay: Float) {
        let vectorEnd = count & ~15
        switch kind {
        case let .sgd(momentum, nesterov):
            func moved<V: SIMD>(_ w: V, _ g: V, _ m: inout V) -> V where V.Scalar == Float {
                let grad: V = g + decay * w
                m = momentum * m + grad
                let direction: V = nesterov ? grad + momentum * m : m
                return w - lr * direction
            }
            for i in stride(from: 0, to: vectorEnd, by: 16) {
                var mi = load16(m + i)
                store16(moved(load16(w + i), load16(g + i), &mi), w + i)
                store16(mi, m + i)
            }
            for i in vectorEnd..<count {
                var mi = SIMD2(repeating: m[i])
                w[i] = moved(SIMD2(repeating: w[i]), SIMD2(repeating: g[i]), &mi)[0]
                m[i] = mi[0]
            }
        case let .adamW(beta1, beta2, epsilon):
            let c1 = 1 - pow(beta1, Float(step)), c2 = 1 - pow(beta2, Float(step))
            let (oneMinusBeta1, oneMinusBeta2) = (1 - beta1, 1 - beta2)
            func moved<V: SIMD>(_ w: V, _ g: V, _ m: inout V, _ v: inout V) -> V where V.Scalar == Float {
                m = beta1 * m + oneMinusBeta1 * g
                let scaledG: V = oneMinusBeta2 * g
                v = beta2 * v + scaledG * g
                let denominator: V = (v / c2).squareRoot() + epsilon
                let direction: V = (m / c1) / denominator + decay * w
                return w - lr * direction
            }
            for i in stride(from: 0, to: vectorEnd, by: 16) {
                var mi = load16(m + i), vi = load16(v + i)
                store16(moved(load16(w + i), load16(g + i), &mi, &vi), w + i)
                store16(mi, m + i)
                store16(vi, v + i)
            }
            for i in vectorEnd..<count {
                var mi = SIMD2(repeating: m[i]), vi = SIMD2(repeating: v[i])
                w[i] = moved(SIMD2(repeating: w[i]), SIMD2(repeating: g[i]), &mi, &vi)[0]
                m[i] = mi[0]
                v[i] = vi[0]
            }
        }
    }
}

// MARK: - Saving and restoring the state (for `Network.encodeTrainingState`)

extension Optimizer {
    /// The moment vectors this kind keeps: SGD its momentum (1), AdamW m and v (2).
    var momentVectors: Int {
        if case .sgd = kind { return 1 }
        return 2
    }

    /// The moment vectors as raw little-endian float32, `count` values each (`momentVectors` of
    /// them, first then second); nil before the first update.
    func momentData(count: Int) -> Data? {
        guard stateCount == count, count > 0, let first, let second else { return nil }
        var data = Data(bytes: first, count: count * 4)
        if momentVectors == 2 { data.append(Data(bytes: second, count: count * 4)) }
        return data
    }

    /// Continues from a saved state: `step` updates taken and the moments of `momentData`
    /// (starting at float `offset` of `payload`), or fresh zero moments when `payload` is nil.
    func restore(step: Int, moments payload: Data?, offset: Int, count: Int) {
        first?.deallocate()
        second?.deallocate()
        first = nil
        second = nil
        stateCount = 0
        self.step = step
        guard let payload else { return }
        first = .allocate(capacity: max(1, count))
        second = .allocate(capacity: max(1, count))
        copyFloats(payload, from: offset, count: count, to: first!)
        if momentVectors == 2 {
            copyFloats(payload, from: offset + count, count: count, to: second!)
        } else {
            second!.initialize(repeating: 0, count: max(1, count))
        }
        stateCount = count
    }
}
