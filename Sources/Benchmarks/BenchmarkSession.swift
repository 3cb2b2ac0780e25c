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
