/// What a paired comparison lets a finding say.
public enum Verdict: String, Codable, Sendable {
    case firstBetter, secondBetter, indistinguishable
}

/// Two evaluations on the same images compared: the accuracy difference (first − second), its
/// paired bootstrap interval, the exact McNemar p-value and, once a family of comparisons is
/// corrected, the Holm-adjusted p-value that decides the verdict.
public struct PairedComparison: Sendable, Equatable {
    public var outcomes: PairedOutcomes
    public var difference: Double
    public var interval: Interval
    public var pValue: Double
    /// The p-value after Holm's correction over the comparisons one finding makes; equal to
    /// `pValue` until `holmCorrected(_:)` sets it.
    public var adjustedPValue: Double

    public init(_ outcomes: PairedOutcomes, confidence: Double = 0.95, resamples: Int = 2000, seed: UInt64 = 0x5EED) {
        self.outcomes = outcomes
        difference = outcomes.difference
        interval = pairedBootstrapInterval(outcomes, confidence: confidence, resamples: resamples, seed: seed)
        pValue = outcomes.mcNemarPValue
        adjustedPValue = pValue
    }

    /// `.indistinguishable` unless the adjusted p-value is ≤ alpha; otherwise the side with the
    /// higher accuracy.
    public func verdict(alpha: Double = 0.05) -> Verdict {
        guard adjustedPValue <= alpha, difference != 0 else { return .indistinguishable }
        return difference > 0 ? .firstBetter : .secondBetter
    }
}

extension Array where Element == PairedComparison {
    /// The same comparisons with `adjustedPValue` set by Holm's correction across all of them.
    public func holmCorrected() -> [PairedComparison] {
        let adjusted = holmAdjusted(map(\.pValue))
        return zip(self, adjusted).map { comparison, p in
            var corrected = comparison
            corrected.adjustedPValue = p
            return corrected
        }
    }
}
