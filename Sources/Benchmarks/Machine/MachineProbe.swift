import Foundation
import Kernels

/// What the machine itself gives a thread count at a moment: a short FMA loop (`FMAPeak`'s)
/// run the way reslab runs its calls — one thread pinned to a CPU, or several as one `Parallel`
/// loop of small chunks taken dynamically, one worker per CPU — timed between reslab's calls
/// (`NetworkBenchmark.alternatingWindow`). Its two-thread rate over its one-thread rate in the
/// same round is the speed-up the host allowed then (on the shared AVX2 EPYC the median over a
/// run's rounds ranged from 1.43× to 2.02× between quiet runs of one session, docs/benchmarks.md),
/// so a speed-up of reslab's can be read against it.
struct MachineProbe {
    /// Chunks per thread of a multi-thread probe: a delayed worker leaves the other at most one
    /// chunk to wait for, as in reslab's own loops.
    static let chunksPerThread = 8
    /// The fewest FMA-loop iterations per thread of a probe (2¹⁸ × 192 FLOPs: ~0.5 ms of a Zen 3
    /// core at the 93–100 GFLOP/s `bench train` measured).
    static let minimumIterations = 1 << 18

    /// Per placement, the iterations per wall second per thread its last probe ran at.
    private var rates: [NetworkBenchmark.Placement: Double] = [:]

    /// Runs the FMA loop on `threads` threads (one thread pinned to `placement.cpu`) for about
    /// `seconds` per thread (at least `minimumIterations`); returns the iterations (all threads
    /// together) and the wall seconds they took.
    mutating func run(_ placement: NetworkBenchmark.Placement, threads: Int, seconds: Double) -> (iterations: Int, wall: Double) {
        let perThread = max(MachineProbe.minimumIterations, Int(seconds * (rates[placement] ?? 0)))
        let chunks = threads == 1 ? 1 : threads * MachineProbe.chunksPerThread
        let perChunk = max(1, perThread * threads / chunks)
        let scale: Float = Float(threads) * 1e-9 + 0.9999999  // not a compile-time constant
        var unpinned = 0  // counted for the call it follows
        let wall = NetworkBenchmark.timeCall(on: placement.cpu, threads: threads, unpinned: &unpinned) {
            Parallel.forChunks(chunks) { _, _ in
                // The check keeps the loop's result alive (it converges, never NaN).
                precondition(!FMAPeak.fmaLoop(iterations: perChunk, scale: scale).isNaN)
            }
        }.wall
        rates[placement] = Double(perChunk * chunks) / max(wall, 1e-9) / Double(threads)
        return (perChunk * chunks, wall)
    }
}
