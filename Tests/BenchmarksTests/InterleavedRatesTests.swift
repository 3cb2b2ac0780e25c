import Kernels
import Testing
@testable import Benchmarks

/// `NetworkBenchmark.interleavedRates`: the thread counts' windows alternate (so a drift of the
/// host's speed falls on every count alike), each runs with its own thread count, and one-thread
/// windows run on the CPU the one-thread rows are pinned to.
struct InterleavedRatesTests {
    @Test func windowsAlternateBetweenTheCountsWithTheirThreadsAndPinning() throws {
        let cpu = CPUAffinity.processCPUs.last ?? 0
        var calls: [(index: Int, threads: Int, cpu: Int)] = []
        let rates = try NetworkBenchmark.interleavedRates(threads: [1, 2], oneThreadCPU: cpu, windows: 3, seconds: 0.002) { index in
            calls.append((index, Parallel.threadCount, CPUAffinity.currentCPU()))
        }
        #expect(rates.count == 2 && rates.allSatisfy { $0.wall > 0 && $0.cpu > 0 })
        // Runs of the same index: warm-up and window of count 0, of count 1, then one window each, twice more.
        var runs: [Int] = []
        for call in calls where runs.last != call.index { runs.append(call.index) }
        #expect(runs == [0, 1, 0, 1, 0, 1], "\(runs)")
        #expect(calls.allSatisfy { $0.threads == [1, 2][$0.index] })
        if CPUAffinity.processCPUs.count >= 2 {
            #expect(calls.filter { $0.index == 0 }.allSatisfy { $0.cpu == cpu }, "one-thread windows ran off CPU \(cpu)")
        }
    }
}
