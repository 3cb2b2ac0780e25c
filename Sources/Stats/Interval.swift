/// A closed interval `[lower, upper]` on the real line: a confidence interval for an accuracy, a
/// mean or a difference of accuracies (all as fractions, 0.71 for 71%).
public struct Interval: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        precondition(lower <= upper, "Interval needs lower ≤ upper, got [\(lower), \(upper)]")
        self.lower = lower
        self.upper = upper
    }

    public var width: Double { upper - lower }

    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
