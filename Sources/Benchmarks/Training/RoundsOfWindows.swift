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
                timed[placement.index].ours.append(rates[placement]!.ours)
                timed[placement.index].machine.append(rates[placement]!.machine)
                timed[placement.index].unpinnedCalls += rates[placement]!.unpinnedCalls
            }
            for placement in placements where placement.index < peers.count {
                guard let peer = peers[placement.index] else { continue }
                if let cpu = placement.cpu, !peer.pin(to: cpu) { timed[placement.index].unpinnedPeerWindows += 1 }
                timed[placement.index].peer.append(try peer.window())
            }
        }
        return timed
    }

    /// Calls `call` at the placements of `cycle` in turn, cycle after cycle, until every
    /// placement's calls took ≥ `seconds` of wall time, and returns each placement's calls per
    /// wall second and per second of process CPU time, both summed over its calls, the calls
    /// that could not be pinned to its CPU, and the machine's FMA-loop iterations per wall second
    /// there: `probe` runs right after the first call of each placement in a cycle, with the same
    /// threads and CPU, for `probeShare` of that call's time per thread (right after it, so a
    /// helper thread is still awake, as it is between the loops of a call). After a call with helper threads (and its probe) an untimed
    /// pause of twice their spin (`Parallel.helperSpinSeconds`) lets them go to sleep, so that
    /// none shares the next one-thread call's CPU.
    static func alternatingWindow(_ cycle: [Placement], threads: [Int], seconds: Double, warmUpCalls: Int, probe: inout MachineProbe,
                                  _ call: (_ index: Int) throws -> Void)
        throws -> [Placement: (ours: (wall: Double, cpu: Double), machine: Double, unpinnedCalls: Int)] {
        var totals: [Placement: (calls: Int, wall: Double, cpu: Double, iterations: Int, probeWall: Double)] = [:]
        var unpinned: [Placement: Int] = [:]
        /// Times one call at `placement`, then probes the machine there when `probing`.
        func run(_ placement: Placement, probing: Bool) throws -> (wall: Double, cpu: Double, probe: (iterations: Int, wall: Double)?) {
            let count = threads[placement.index]
            let times = try CPUPinning.onCPU(placement.cpu, unpinned: &unpinned[placement, default: 0]) {
                try withThreads(count) {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
                    try call(placement.index)
                    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, processCPUSeconds() - cpuStart)
                }
            }
            let probed = probing ? probe.run(placement, threads: count, seconds: probeShare * times.0) : nil
            if count > 1 && cycle.count > 1 { usleep(useconds_t(2e6 * Parallel.helperSpinSeconds)) }
            return (times.0, times.1, probed)
        }
        for _ in 0..<warmUpCalls { for placement in cycle { _ = try run(placement, probing: false) } }
        unpinned = [:]  // only timed calls count
        repeat {
            var probed = Set<Placement>()
            for placement in cycle {
                let times = try run(placement, probing: probed.insert(placement).inserted)
                let total = totals[placement] ?? (0, 0, 0, 0, 0)
                totals[placement] = (total.calls + 1, total.wall + times.wall, total.cpu + times.cpu,
                                     total.iterations + (times.probe?.iterations ?? 0), total.probeWall + (times.probe?.wall ?? 0))
            }
        } while cycle.contains { totals[$0]!.wall < seconds }
        return Dictionary(uniqueKeysWithValues: totals.map { placement, total in
            (placement, ((Double(total.calls) / total.wall, Double(total.calls) / max(1e-9, total.cpu)),
                         Double(total.iterations) / max(1e-9, total.probeWall), unpinned[placement] ?? 0))
        })
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
