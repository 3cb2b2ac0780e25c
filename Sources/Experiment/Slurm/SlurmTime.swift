import Foundation

/// A Slurm time limit in whole minutes (Slurm rounds seconds up to the minute), read from and
/// written in sbatch's `--time` formats.
public struct SlurmTime: Equatable, Sendable, CustomStringConvertible {
    public var minutes: Int

    public init(minutes: Int) {
        precondition(minutes > 0, "a Slurm time limit is at least one minute")
        self.minutes = minutes
    }

    /// Parses sbatch's formats: `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`. Returns `nil` for
    /// anything else, and for a zero limit (which Slurm reads as "no limit").
    public init?(_ text: String) {
        let dayParts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard dayParts.count <= 2 else { return nil }
        let days = dayParts.count == 2 ? Int(dayParts[0]) : 0
        let clock = dayParts.last!.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard let days, days >= 0, clock.count <= 3, clock.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        let fields = clock.map { $0! }
        // Without a day, "M", "M:S", "H:M:S"; with one, "D-H", "D-H:M", "D-H:M:S".
        let seconds: Int
        switch (dayParts.count, fields.count) {
        case (1, 1): seconds = fields[0] * 60
        case (1, 2): seconds = fields[0] * 60 + fields[1]
        case (_, 3): seconds = fields[0] * 3600 + fields[1] * 60 + fields[2]
        case (2, 1): seconds = fields[0] * 3600
        case (2, 2): seconds = fields[0] * 3600 + fields[1] * 60
        default: return nil
        }
        let minutes = days * 1440 + (seconds + 59) / 60
        guard minutes > 0 else { return nil }
        self.minutes = minutes
    }

    /// `D-HH:MM:SS` from one day up, `HH:MM:SS` below.
    public var description: String {
        let clock = String(format: "%02d:%02d:00", minutes / 60 % 24, minutes % 60)
        return minutes >= 1440 ? "\(minutes / 1440)-\(clock)" : clock
    }

    /// The limit for one array task that computes `cellFLOPs` at `flopsPerSecond`:
    ///
    ///     minutes = ceil((startup + safety × cellFLOPs / flopsPerSecond) / 60), at least `minimum`
    ///
    /// The safety factor covers a slower or busier compute node than the one measured; the start-up
    /// time covers decoding the dataset before the first step. A task over its limit is killed and
    /// its cell stays missing (rerun it with `--missing`), so erring long is cheap, short is not.
    public static func estimate(
        cellFLOPs: Double, flopsPerSecond: Double,
        safetyFactor: Double = 3, startupSeconds: Double = 120, minimum: Int = 10
    ) -> SlurmTime {
        precondition(flopsPerSecond > 0 && cellFLOPs >= 0, "FLOPs and throughput must be positive")
        let seconds = startupSeconds + safetyFactor * cellFLOPs / flopsPerSecond
        return SlurmTime(minutes: max(minimum, Int((seconds / 60).rounded(.up))))
    }
}
