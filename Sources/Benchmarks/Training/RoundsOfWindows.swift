import Foundation
import Kernels
import NN

extension NetworkBenchmark {
    /// Where one of a round's calls runs: a thread count (its index in `threads`) and, for one
    /// thread, the CPU it is pinned to.
    struct Placement: Hashable {
        var index: Int
        var cpu: Int?
    }

    /// The windows of one thread count: reslab's calls per second and the peer's images per
    /// second (wall and process CPU time each), and the machine probe's FMA-loop iterations per
    /// wall second timed between reslab's calls (`MachineProbe`), in the order they were timed;
    /// a one-thread count has one of each per CPU of `cpus` in each round, in that order.
    struct Windows {
        var ours: [(wall: Double, cpu: Double)] = []
        var peer: [(wall: Double, cpu: Double)] = []
        var machine: [Double] = []
        /// reslab's one-thread calls and the peer's one-thread windows that could not be pinned
        /// to their CPU (they ran where the scheduler put them).
        var unpinnedCalls = 0
        var unpinnedPeerWindows = 0
        /// The CPUs of a round's one-thread windows, or empty: one window per round.
        var cpus: [Int] = []

        var windowsPerRound: Int { max(1, cpus.count) }
    }

    /// The calls of one cycle of a round's window: a one-thread call on each of `oneThreadCPUs`
    /// in turn, each followed by one call of every other count, so that the counts alternate call
    /// by call ([1 thread on CPU 0, 2 threads, 1 thread on CPU 1, 2 threads] for threads [1, 2]
    /// on two CPUs); without a one-thread count, one call of each count.
    static func cycle(threads: [Int], oneThreadCPUs: [Int]) -> [Placement] {
        let others = threads.indices.filter { threads[$0] != 1 }.map { Placement(index: $0) }
        guard let one = threads.firstIndex(of: 1) else { return others }
        let cpus: [Int?] = oneThreadCPUs.isEmpty ? [nil] : oneThreadCPUs
        return cpus.flatMap { [Placement(index: one, cpu: $0)] + others }
    }

    /// `rounds` rounds, each one window of reslab's calls and then one window of each peer: in
    /// reslab's window the placements of `cycle(threads:oneThreadCPUs:)` take turns call by call
    /// (`call(index)` with `threads[index]` worker threads, a one-thread call pinned to its CPU,
    /// `CPUPinning`) until each placement's calls add up to ≥ `seconds` (two untimed warm-up
    /// calls of each in the first round); then, per placement in the same order, that count's
    /// peer (`peers[index]`, when there is one) times a window, a one-thread peer pinned to the
    /// same CPU (`PeerWindows.pin(to:)`). Why: this host's speed changes for seconds at a time,
    /// and its two CPUs run one thread at speeds up to 2× apart at the same moment
    /// (docs/benchmarks.md); calls that alternate meet the same states, so a round's two-thread
    /// rate ÷ its one-thread rate (the mean over the CPUs) is the engine's speed-up, not the
    /// host's change between two windows, and a peer's window right after reslab's on the same
    /// CPU meets nearly the same state.
    static func interleavedWindows(threads: [Int], oneThreadCPUs: [Int], rounds: Int, seconds: Double, peers: [PeerWindows?] = [],
                                   _ call: (_ index: Int) throws -> Void) throws -> [Windows] {
        let cycle = cycle(threads: threads, oneThreadCPUs: oneThreadCPUs)
        var placements: [Placement] = []
        for placement in cycle where !placements.contains(placement) { placements.append(placement) }
        var timed = threads.map { Windows(cpus: $0 == 1 ? oneThreadCPUs : []) }
        var probe = MachineProbe()
        for round in 0..<rounds {
            let rates = try alternatingWindow(cycle, threads: threads, seconds: seconds, warmUpCalls: round == 0 ? 2 : 0,
                                              probe: &probe, call)
            for placement in placements {
                let totals = rates[placement]!
                timed[placement.index].ours.append(totals.callRates)
                timed[placement.index].machine.append(totals.probeRate)
                timed[placement.index].unpinnedCalls += totals.unpinnedCalls
            }
            for placement in placements where placement.index < peers.count {
                guard let peer = peers[placement.index] else { continue }
                if let cpu = placement.cpu, !peer.pin(to: cpu) { timed[placement.index].unpinnedPeerWindows += 1 }
                timed[placement.index].peer.append(try peer.window())
            }
        }
        return timed
    }

    /// One placement's calls in a window: their count, wall and process-CPU seconds, those that
    /// could not be pinned to its CPU, and the machine probe's iterations and wall seconds there.
    struct WindowTotals {
        var calls = 0, wall = 0.0, cpu = 0.0, unpinnedCalls = 0
        var probeIterations = 0, probeWall = 0.0

        /// Calls per wall second and per second of process CPU time.
        var callRates: (wall: Double, cpu: Double) { (Double(calls) / wall, Double(calls) / max(1e-9, cpu)) }
        /// The probe's FMA-loop iterations per wall second.
        var probeRate: Double { Double(probeIterations) / max(1e-9, probeWall) }
    }

    /// Calls `call` at the placements of `cycle` in turn, cycle after cycle, until every
    /// placement's calls took ≥ `seconds` of wall time, and returns each placement's totals
    /// (`WindowTotals`; warm-up calls not counted). `probe` runs right after the first call of
    /// each placement in a cycle, with the same threads and CPU, for `probeShare` of that call's
    /// time per thread (right after it, so a helper thread is still awake, as it is between the
    /// loops of a call). After a call with helper threads (and its probe) an untimed pause of
    /// twice their spin (`Parallel.helperSpinSeconds`) lets them go to sleep, so that none
    /// shares the next one-thread call's CPU.
    static func alternatingWindow(_ cycle: [Placement], threads: [Int], seconds: Double, warmUpCalls: Int, probe: inout MachineProbe,
                                  _ call: (_ index: Int) throws -> Void) throws -> [Placement: WindowTotals] {
        var totals: [Placement: WindowTotals] = [:]
        /// One call at `placement` (then the probe there when `probing`), added to `into`.
        func run(_ placement: Placement, probing: Bool, into total: inout WindowTotals) throws {
            let count = threads[placement.index]
            let times = try timeCall(on: placement.cpu, threads: count, unpinned: &total.unpinnedCalls) { try call(placement.index) }
            (total.calls, total.wall, total.cpu) = (total.calls + 1, total.wall + times.wall, total.cpu + times.cpu)
            if probing {
                let probed = probe.run(placement, threads: count, seconds: probeShare * times.wall)
                (total.probeIterations, total.probeWall) = (total.probeIterations + probed.iterations, total.probeWall + probed.wall)
            }
            if count > 1 && cycle.count > 1 { usleep(useconds_t(2e6 * Parallel.helperSpinSeconds)) }
        }
        var warmUp = WindowTotals()
        for _ in 0..<warmUpCalls { for placement in cycle { try run(placement, probing: false, into: &warmUp) } }
        repeat {
            var probed = Set<Placement>()
            for placement in cycle {
                try run(placement, probing: probed.insert(placement).inserted, into: &totals[placement, default: WindowTotals()])
            }
        } while cycle.contains { totals[$0]!.wall < seconds }
        return totals
    }

    /// Runs `body` with `threads` worker threads, pinned to `cpu` when given (adding 1 to
    /// `unpinned` where it cannot be, `CPUPinning`), and returns its wall and process-CPU seconds.
    static func timeCall(on cpu: Int?, threads: Int, unpinned: inout Int, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        try CPUPinning.onCPU(cpu, unpinned: &unpinned) {
            try withThreads(threads) {
                let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
                try body()
                return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processCPUSeconds() - cpuStart)
            }
        }
    }

    /// The machine probe's time at a placement, per thread, as a share of that placement's call:
    /// long enough to meet the states the call met (at 128 px a one-thread call takes over a
    /// second), short enough to add little to the benchmark's time.
    static let probeShare = 0.1

    /// `body` with one peer per thread count started by `start` (a one-thread count's from a
    /// thread pinned to `oneThreadCPU`, so that its process starts there), or none; the peers end
    /// when `body` returns.
    static func withPeers<T>(_ start: StartPeer?, threads: [Int], oneThreadCPU: Int?, _ body: ([PeerWindows?]) throws -> T) throws -> T {
        var peers: [PeerWindows?] = []
        defer { peers.forEach { $0?.close() } }
        for count in threads {
            peers.append(try start.map { start in try CPUPinning.onCPU(count == 1 ? oneThreadCPU : nil) { try start(count) } })
        }
        return try body(peers)
    }
}
