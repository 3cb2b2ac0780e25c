import Foundation
import Kernels

/// What every `reslab bench` run shares: the machine line, this machine's FMA peak measured at
/// the start, an optional background load, the peers' Python, and the closing line with peak
/// memory and the load average at the end. Lines go to `out` as they are ready.
public final class BenchmarkSession {
    public let machine = MachineInfo.current()
    /// Float32 FMA GFLOP/s of one core per second of its CPU time, measured at the start
    /// (`FMAPeak.Rate.perCore`, one thread): the 100% of "% of peak", per thread.
    public let peakPerThread: Double
    /// The FMA loop's rate per thread count, measured at the start.
    public let peaks: [Int: FMAPeak.Rate]
    let out: (String) -> Void
    private var background: BackgroundLoad?
    /// The CPU the benchmark started on: the first of a round's one-thread windows runs there
    /// (`oneThreadCPUs(threads:)`), and `--background-load` runs on another.
    public let oneThreadCPU = CPUAffinity.currentCPU()

    /// The CPUs a round's one-thread windows run on, each in turn, reslab's and its peer's alike
    /// (`NetworkBenchmark.interleavedWindows`): where `threads` has a count above 1, each CPU a
    /// loop of that many workers may run on (the first that many of the process's CPUs; of more
    /// than 8, 8 spread evenly), `oneThreadCPU` first; else `oneThreadCPU` alone. This host's two
    /// vCPUs have run the same work at speeds up to 2× apart at the same moment, so the speed-up
    /// over one thread is taken over the mean of the CPUs' one-thread rates, not one CPU's.
    public func oneThreadCPUs(threads: [Int]) -> [Int] {
        BenchmarkSession.oneThreadCPUs(threads: threads, processCPUs: CPUAffinity.processCPUs, first: oneThreadCPU)
    }

    /// `oneThreadCPUs(threads:)` for a process that may run on `processCPUs` and started on `first`.
    static func oneThreadCPUs(threads: [Int], processCPUs: [Int], first: Int) -> [Int] {
        let most = threads.max() ?? 1
        let cpus = Array(processCPUs.prefix(most))
        guard most > 1, cpus.count > 1 else { return [first] }
        let spread = cpus.count <= 8 ? cpus : (0..<8).map { cpus[$0 * cpus.count / 8] }
        return spread.contains(first) ? [first] + spread.filter { $0 != first } : spread
    }

    /// Prints the machine line and measures the FMA peak at each of `threads`; with
    /// `backgroundLoad` (the busy command: executable and arguments) starts it first, so the
    /// peak is measured under the same load as the benchmark.
    public init(threads: [Int], backgroundLoad: (executable: String, arguments: [String])?, out: @escaping (String) -> Void) throws {
        self.out = out
        // Before the main thread is pinned (`CPUPinning`): the pool reads the process's CPUs from it.
        Parallel.startHelperThreads()
        out("machine: \(machine.line)")
        if let backgroundLoad {
            // The busy process pins itself to another CPU than the one-thread rows': one-thread
            // rows measure a free CPU, two-thread rows share one with it.
            let cpus = CPUAffinity.processCPUs
            let otherCPU = cpus.firstIndex(of: oneThreadCPU).map { cpus[($0 + 1) % cpus.count] }
                ?? (oneThreadCPU + 1) % max(1, Parallel.availableCPUs)
            let load = try BackgroundLoad(executable: backgroundLoad.executable, arguments: backgroundLoad.arguments + ["--cpu", "\(otherCPU)"])
            out(load.line + ", pinned to CPU \(otherCPU)")
            background = load
        }
        var peaks: [Int: FMAPeak.Rate] = [:]
        for count in Set(threads + [1]) { peaks[count] = FMAPeak.measure(threads: count) }
        self.peaks = peaks
        peakPerThread = peaks[1]?.perCore ?? 1
        out(String(format: "FMA peak per core measured now: %.0f GFLOP/s per second of its CPU time (SIMD\(TargetSIMD.floatsPerRegister)<Float>, 12 chains, best of 5 windows of 0.1 s); ", peakPerThread)
            + "in wall time, which other load lowers: "
            + peaks.keys.sorted().map { "\($0) thread\($0 == 1 ? "" : "s") " + String(format: "%.0f", peaks[$0]!.wall) }.joined(separator: ", ")
            + String(format: " GFLOP/s. %%peak below is GFLOP/s ÷ (%.0f × threads)", peakPerThread))
        out("GEMM micro-kernel: \(TargetSIMD.tileDescription)")
    }

    /// Where rows run: one-thread rows pinned (`CPUPinning`), rows with one thread per CPU placed
    /// by `Parallel` (one worker per CPU), for the thread counts in `threads`.
    public func placementLines(threads: [Int]) -> [String] {
        let cpus = CPUAffinity.processCPUs
        let oneThread = oneThreadCPUs(threads: threads)
        return (threads.contains(1)
            ? [oneThread.count == 1
                ? "one-thread rows: reslab and its peer both pinned to CPU \(oneThread[0])"
                : "one-thread rows: each round times reslab and then its peer pinned to CPU \(oneThread.map(String.init).joined(separator: ", then CPU ")) "
                  + "(this host's CPUs run one thread at different speeds at the same time); their img/s and ratio are the medians of all these windows"] : [])
            + (cpus.count > 1 && threads.contains(cpus.count)
                ? ["\(cpus.count)-thread rows: reslab runs one worker per CPU (CPUs \(cpus.map(String.init).joined(separator: ", ")), docs/kernels.md), the peer's threads go where its runtime puts them"] : [])
    }

    /// "37%": `gflops` against the measured one-thread peak × `threads`.
    public func percentOfPeak(_ gflops: Double, threads: Int) -> String {
        String(format: "%.0f%%", 100 * gflops / (peakPerThread * Double(threads)))
    }

    /// The Python for a peer that imports `modules` (`PeerPython.find`), or nil after printing
    /// why the peer is skipped and how to get it. `skip` (e.g. --no-peer) skips it silently.
    public func peerPython(option: String?, modules: [String], peer: String, skip: Bool = false) throws -> PeerPython? {
        if skip { return nil }
        switch try PeerPython.find(option: option, modules: modules, peer: peer) {
        case let .success(python):
            out("\(peer) peer: \(python.path) (from \(python.origin))")
            return python
        case let .failure(unavailable):
            out(unavailable.description)
            return nil
        }
    }

    /// Stops the background load and prints this process's peak RSS and the load average now.
    public func finish() {
        background?.stop()
        background = nil
        out(String(format: "peak RSS of this process: %.0f MB", MachineInfo.peakResidentMegabytes())
            + "; load average at the end: \(MachineInfo.current().loadAverage)")
    }

    deinit { background?.stop() }
}

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

    /// img/s of reslab and its peer by thread count, one value per round in timing order
    /// (`NetworkBenchmark.interleavedWindows`), for one measurement or one per size.
    public typealias Rates = (ours: [Int: [Double]], theirs: [Int: [Double]])

    /// "speed-up 1 → 2 threads: reslab 1.52×, numpy 1.20×" (`rates` holding one measurement), or
    /// with one per size "speed-up 1 → 2 threads at 16 / 32 px: reslab 1.90× / 1.95×, ONNX
    /// Runtime 1.60× / 1.70×"; empty unless `threads` has two counts. Each speed-up is the median
    /// over the rounds of the high count's window ÷ the low count's in the same round (for one
    /// thread the mean of the round's windows on each CPU, `Comparison.oursPerRound`).
    public static func speedUps(_ rates: [Rates], threads: [Int], sizes: [Int] = [], peer: String) -> String {
        guard let low = threads.min(), let high = threads.max(), low < high else { return "" }
        func paired(_ side: [Int: [Double]]) -> String {
            times(roundSpeedUps(side, low: low, high: high).map(median))
        }
        let ours = rates.map { paired($0.ours) }.joined(separator: " / ")
        let theirs = rates.map { paired($0.theirs) }.joined(separator: " / ")
        return "speed-up \(low) → \(high) threads\(at(sizes)): reslab \(ours), \(peer) \(theirs)"
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

    /// " at 16 / 32 px", or "" without sizes.
    private static func at(_ sizes: [Int]) -> String {
        sizes.isEmpty ? "" : " at " + sizes.map(String.init).joined(separator: " / ") + " px"
    }

    /// "one thread on CPU 0 / CPU 1, median img/s: reslab 1187 / 999, numpy 350 / 348" (at each
    /// of `sizes`, separated by "; "), or nil unless the one-thread windows ran on several CPUs.
    public static func perCPU(_ comparisons: [Comparison], sizes: [Int] = [], peer: String) -> String? {
        guard let cpus = comparisons.first?.cpus, cpus.count > 1 else { return nil }
        func rates(_ values: [Double]) -> String { values.isEmpty ? "—" : values.map { rate($0) }.joined(separator: " / ") }
        let ours = comparisons.map { rates($0.oursPerCPU) }.joined(separator: "; ")
        let theirs = comparisons.map { rates($0.peerPerCPU) }.joined(separator: "; ")
        let at = sizes.isEmpty ? "" : " at " + sizes.map(String.init).joined(separator: "; ") + " px"
        return "one thread on CPU \(cpus.map(String.init).joined(separator: " / CPU ")), median img/s\(at): reslab \(ours), \(peer) \(theirs)"
    }
}
