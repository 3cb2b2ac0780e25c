/// What a remedy costs the user, cheapest first: the order of the "What to do" tables.
public enum RemedyCost: Int, Codable, Sendable, Comparable, CaseIterable {
    /// Nothing to compute: a different preprocessing or rounding rule with the same weights.
    case none
    /// Forward passes over some unlabelled images.
    case seconds
    /// Fine-tuning part of the network at the test size.
    case minutes
    /// Training the model again.
    case retrain

    public static func < (a: RemedyCost, b: RemedyCost) -> Bool { a.rawValue < b.rawValue }

    var label: String {
        switch self {
        case .none: return "none"
        case .seconds: return "seconds"
        case .minutes: return "minutes of fine-tuning"
        case .retrain: return "a full retrain"
        }
    }

    /// The label with what it means where that is not plain from it, for the section's intro.
    var explainedLabel: String {
        switch self {
        case .none: return label + " (a different preprocessing or rounding rule, same weights)"
        case .seconds: return label + " (forward passes)"
        case .minutes, .retrain: return label
        }
    }
}

/// A trained model with a remedy applied, tested like the untreated model at one condition on
/// the same test images (so the two pair image by image).
public struct RemedyEvaluation: Codable, Sendable, Equatable {
    /// The remedy's name (`bn-recal`, `resize`, …) and what it does in words, e.g.
    /// "re-estimating batch norm at 20 px".
    public var remedy: String
    public var description: String
    public var cost: RemedyCost
    /// Wall seconds applying it took (evaluation excluded).
    public var seconds: Double
    /// What it did there, e.g. "swapped #21 maxpool 2 to ceil".
    public var note: String?
    /// The treated model's evaluation: model, training resolution and seed name the untreated
    /// model it is compared with; the test resolution and method name the condition.
    public var evaluation: Evaluation

    public init(remedy: String, description: String, cost: RemedyCost, seconds: Double, note: String?, evaluation: Evaluation) {
        self.remedy = remedy
        self.description = description
        self.cost = cost
        self.seconds = seconds
        self.note = note
        self.evaluation = evaluation
    }
}
