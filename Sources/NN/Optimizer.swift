import Foundation

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
        for (index, entry) in arena.entries.enumerated() where entry.role.isTrainable && trainableEntries?.contains(index) != false {
            let w = arena.values + entry.offset, g = arena.gradients + entry.offset
            let m = first! + entry.offset, v = second! + entry.offset
            let decay = entry.role.decays ? weightDecay : 0
            switch kind {
            case let .sgd(momentum, nesterov):
                for i in 0..<entry.count {
                    let grad = g[i] + decay * w[i]
                    m[i] = momentum * m[i] + grad
                    w[i] -= lr * (nesterov ? grad + momentum * m[i] : m[i])
                }
            case let .adamW(beta1, beta2, epsilon):
                let c1 = 1 - pow(beta1, Float(step)), c2 = 1 - pow(beta2, Float(step))
                for i in 0..<entry.count {
                    m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                    v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                    w[i] -= lr * ((m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon) + decay * w[i])
                }
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
