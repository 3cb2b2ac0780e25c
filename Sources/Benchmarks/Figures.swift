import Foundation

/// Fixed-width text columns for the benchmark tables.
public struct TextTable {
    public var widths: [Int]

    public init(widths: [Int]) { self.widths = widths }

    public func row(_ cells: String...) -> String { row(cells) }

    public func row(_ cells: [String]) -> String {
        zip(cells, widths + Array(repeating: 12, count: max(0, cells.count - widths.count)))
            .map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}

/// Number formats shared by the tables: "1234", "12.3", "1.23×", "—" for a missing value.
public enum Figure {
    public static func rate(_ value: Double?) -> String {
        value.map { String(format: $0 >= 100 ? "%.0f" : "%.1f", $0) } ?? "—"
    }

    public static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return "—" }
        return times(numerator / denominator)
    }

    /// "1.23×", or "—" for nil.
    public static func times(_ value: Double?) -> String {
        value.map { String(format: "%.2f×", $0) } ?? "—"
    }

    public static func milliseconds(_ seconds: Double?) -> String {
        seconds.map { String(format: "%.0f ms", 1000 * $0) } ?? "—"
    }

    /// "2.1e-06": a difference or tolerance, two significant digits.
    public static func scientific(_ value: Double) -> String {
        String(format: "%.1e", value)
    }

    /// "speed-up 1 → 2 threads: reslab 1.52×, numpy 1.20×" (`measured` holding one measurement),
    /// or with one per size "speed-up 1 → 2 threads at 16 / 32 px: reslab 1.90× / 1.95×, ONNX
    /// Runtime 1.60× / 1.70×"; empty unless `threads` has two counts. Each speed-up is the median
    /// over the rounds of the high count's img/s ÷ the low count's in the same round
    /// (`Comparison.oursPerRound`, `peerPerRound`; for one thread the mean over its CPUs).
    public static func speedUps(_ measured: [[Int: Comparison]], threads: [Int], sizes: [Int] = [], peer: String) -> String {
        guard let low = threads.min(), let high = threads.max(), low < high else { return "" }
        func paired(_ side: KeyPath<Comparison, [Double]>) -> String {
            measured.map { times(roundSpeedUps($0.mapValues { $0[keyPath: side] }, low: low, high: high).map(median)) }
                .joined(separator: " / ")
        }
        return "speed-up \(low) → \(high) threads\(at(sizes)): reslab \(paired(\.oursPerRound)), \(peer) \(paired(\.peerPerRound))"
    }

    /// "the machine in the same rounds (…): 1 → 2 threads 1.95×; reslab's speed-up ÷ the
    /// machine's 0.97" (with one measurement per size, values separated by " / "), or nil unless
    /// `threads` has two counts and the rounds have machine probes (`Comparison.machinePerRound`).
    /// The machine's speed-up is the median over the rounds of its high count's rate ÷ its low
    /// count's; the quotient is the median over the rounds of reslab's round speed-up ÷ the
    /// machine's in that round: near 1 when reslab used what the host gave.
    public static func machineSpeedUps(_ measured: [[Int: Comparison]], threads: [Int], sizes: [Int] = []) -> String? {
        guard let low = threads.min(), let high = threads.max(), low < high else { return nil }
        let pairs = measured.map { comparisons in
            (ours: roundSpeedUps(comparisons.mapValues(\.oursPerRound), low: low, high: high),
             machine: roundSpeedUps(comparisons.mapValues(\.machinePerRound), low: low, high: high))
        }
        guard pairs.contains(where: { $0.machine != nil }) else { return nil }
        let machine = pairs.map { times($0.machine.map(median)) }.joined(separator: " / ")
        let shares = pairs.map { pair -> String in
            guard let ours = pair.ours, let machine = pair.machine, ours.count == machine.count else { return "—" }
            return String(format: "%.2f", median(zip(ours, machine).map { $0 / $1 }))
        }.joined(separator: " / ")
        return "the machine in the same rounds (an FMA loop timed right after reslab's calls, same threads and CPUs): "
            + "\(low) → \(high) threads\(at(sizes)) \(machine); reslab's speed-up ÷ the machine's \(shares)"
    }

    /// Each round's rate at `high` threads ÷ its rate at `low`, or nil without both.
    private static func roundSpeedUps(_ side: [Int: [Double]], low: Int, high: Int) -> [Double]? {
        guard let highs = side[high], let lows = side[low], !highs.isEmpty, highs.count == lows.count else { return nil }
        return zip(highs, lows).map { $0 / $1 }
    }

    /// " at 16 / 32 px" (the sizes joined by `separator`), or "" without sizes.
    private static func at(_ sizes: [Int], separator: String = " / ") -> String {
        sizes.isEmpty ? "" : " at " + sizes.map(String.init).joined(separator: separator) + " px"
    }

    /// The lines after a table of `measured` (one measurement, or one per size of `sizes`): the
    /// speed-ups, the machine's speed-up in the same rounds, each CPU's one-thread img/s, and a
    /// warning when one-thread calls or peer windows ran off their CPU.
    public static func afterTable(_ measured: [[Int: Comparison]], threads: [Int], sizes: [Int] = [], peer: String) -> [String] {
        let oneThread = measured.compactMap { $0[1] }
        return [speedUps(measured, threads: threads, sizes: sizes, peer: peer)]
            + [machineSpeedUps(measured, threads: threads, sizes: sizes),
               oneThread.count == measured.count ? perCPU(oneThread, sizes: sizes, peer: peer) : nil,
               unpinned(measured.flatMap(\.values), peer: peer)].compactMap { $0 }
    }

    /// "warning: 3 of reslab's one-thread calls and 1 of numpy's one-thread windows could not be
    /// pinned to their CPU …", or nil when every one ran where its figures say.
    public static func unpinned(_ comparisons: [Comparison], peer: String) -> String? {
        let calls = comparisons.map(\.unpinnedCalls).reduce(0, +), windows = comparisons.map(\.unpinnedPeerWindows).reduce(0, +)
        guard calls + windows > 0 else { return nil }
        return "warning: \(calls) of reslab's one-thread calls and \(windows) of \(peer)'s one-thread windows could not be pinned "
            + "to their CPU (sched_setaffinity failed) and ran where the scheduler put them: the per-CPU figures and ratios mix CPUs"
    }

    /// "one thread on CPU 0 / CPU 1, median img/s: reslab 1187 / 999, numpy 350 / 348" (at each
    /// of `sizes`, separated by "; "), or nil unless the one-thread windows ran on several CPUs.
    public static func perCPU(_ comparisons: [Comparison], sizes: [Int] = [], peer: String) -> String? {
        guard let cpus = comparisons.first?.cpus, cpus.count > 1 else { return nil }
        func rates(_ values: [Double]) -> String { values.isEmpty ? "—" : values.map { rate($0) }.joined(separator: " / ") }
        let ours = comparisons.map { rates($0.oursPerCPU) }.joined(separator: "; ")
        let theirs = comparisons.map { rates($0.peerPerCPU) }.joined(separator: "; ")
        return "one thread on CPU \(cpus.map(String.init).joined(separator: " / CPU ")), median img/s\(at(sizes, separator: "; ")): "
            + "reslab \(ours), \(peer) \(theirs)"
    }
}
