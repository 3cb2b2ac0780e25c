/// One named parameter tensor inside the arena.
public struct ParameterEntry: Equatable, Sendable, Codable {
    public enum Role: String, Codable, Sendable {
        case weight, bias, scale, shift, runningMean, runningVariance

        /// Running statistics are state, not trained: the optimizer skips them.
        public var isTrainable: Bool { self != .runningMean && self != .runningVariance }
        /// Weight decay applies to convolution and dense weights only (not to biases or
        /// batch-norm scales and shifts).
        public var decays: Bool { self == .weight }
    }

    /// e.g. "1.conv 3x3 32.weight".
    public var name: String
    public var shape: [Int]
    public var offset: Int
    public var role: Role

    public var count: Int { shape.reduce(1, *) }
}

/// All parameters of a network in one allocation, with their gradients: a layer's parameters
/// are consecutive slices (`ParameterEntry.offset`). Owns its memory.
final class ParameterArena {
    let entries: [ParameterEntry]
    let count: Int
    /// The parameter values, `count` floats.
    let values: UnsafeMutablePointer<Float>
    /// dLoss/dvalue, `count` floats, overwritten by each backward pass.
    let gradients: UnsafeMutablePointer<Float>

    init(entries: [ParameterEntry]) {
        self.entries = entries
        count = entries.last.map { $0.offset + $0.count } ?? 0
        values = .allocate(capacity: max(1, count))
        values.initialize(repeating: 0, count: max(1, count))
        gradients = .allocate(capacity: max(1, count))
        gradients.initialize(repeating: 0, count: max(1, count))
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }
}
