import Dispatch
import Foundation

/// Calls of `body` per wall second and per process CPU second in each of `windows` windows
/// (each repeating `body` until `seconds` have passed), after `warmUpCalls` untimed calls. The
/// dry run's speed estimate (`ModelSpeed`) and the benchmarks (`Benchmarks`) time with it.
public func callRates(windows: Int, seconds: Double, warmUpCalls: Int,
                      _ body: () throws -> Void) rethrows -> [(wall: Double, cpu: Double)] {
    for _ in 0..<warmUpCalls { try body() }
    return try (0..<windows).map { _ in
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
        var calls = 0, elapsed = 0.0
        repeat {
            try body()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < seconds
        return (Double(calls) / elapsed, Double(calls) / max(1e-9, processCPUSeconds() - cpuStart))
    }
}

/// CPU seconds used by this process so far, summed over its threads. Unlike wall time, other
/// processes competing for the cores do not inflate it.
public func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
