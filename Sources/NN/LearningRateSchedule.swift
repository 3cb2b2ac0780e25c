import Foundation

/// The learning rate at each step: a linear warm-up from base/warmup to base over `warmupSteps`,
/// then constant, cosine (Loshchilov & Hutter 2017, without restarts) or step decay.
public struct LearningRateSchedule: Equatable, Sendable, Codable {
    public enum Decay: Equatable, Sendable, Codable {
        case constant
        /// base → base·finalFraction along half a cosine over the steps after warm-up.
        case cosine(totalSteps: Int, finalFraction: Float)
        /// ×gamma every `every` steps after warm-up.
        case step(every: Int, gamma: Float)
    }

    public var base: Float
    public var warmupSteps: Int
    public var decay: Decay

    public init(base: Float, warmupSteps: Int = 0, decay: Decay = .constant) {
        self.base = base
        self.warmupSteps = warmupSteps
        self.decay = decay
    }

    /// The rate for 0-based `step`:
    ///
    ///     step < W:  base·(step + 1)/W
    ///     cosine:    final + (base − final)·(1 + cos(π·t)) / 2,  t = min(1, (step − W)/(T − W))
    ///     step:      base·gamma^⌊(step − W)/every⌋
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let after = step - warmupSteps
        switch decay {
        case .constant:
            return base
        case let .cosine(totalSteps, finalFraction):
            let span = max(1, totalSteps - warmupSteps)
            let t = min(1, Double(after) / Double(span))
            let final = Double(base * finalFraction)
            return Float(final + (Double(base) - final) * (1 + cos(Double.pi * t)) / 2)
        case let .step(every, gamma):
            return base * pow(gamma, Float(after / max(1, every)))
        }
    }
}
