import Experiment
import Foundation
import Kernels

/// What every benchmark prints about the machine it ran on: figures from different CPUs or
/// different loads are not comparable (sessions land on a Zen 5 one day, a Zen 4, a Xeon or an
/// AVX2-only Zen 3 another).
public struct MachineInfo: Sendable {
    /// The CPU's `model name` in /proc/cpuinfo ("unknown CPU" where there is none).
    public var cpuModel: String
    /// Logical CPUs this process may use.
    public var cores: Int
    /// The CPU's feature flags (/proc/cpuinfo's `flags` of its first CPU, e.g. "avx2", "avx512f").
    public var cpuFlags: Set<String>
    /// /proc/loadavg's 1, 5 and 15 minute load averages ("?" where there is none).
    public var loadAverage: String

    public static func current() -> MachineInfo {
        let model = ProcFile.value(of: "model name", in: "/proc/cpuinfo")
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
            .joined(separator: " ")
        let flags = ProcFile.value(of: "flags", in: "/proc/cpuinfo")?.split(separator: " ").map(String.init)
        return MachineInfo(cpuModel: model ?? "unknown CPU", cores: Parallel.availableCPUs, cpuFlags: Set(flags ?? []),
                           loadAverage: load ?? "?")
    }

    /// "AMD EPYC 9R14, 2 cores, load average 1.62 2.28 4.22 (1/5/15 min)".
    public var line: String { "\(cpuModel), \(cores) core\(cores == 1 ? "" : "s"), load average \(loadAverage) (1/5/15 min)" }

    /// This process's peak resident set size so far, in MB: /proc/self/status's `VmHWM` (the
    /// high-water mark of this process's own memory map), else getrusage's `ru_maxrss`. Not
    /// `ru_maxrss` first: Linux carries the parent's high-water mark into a child started with
    /// `posix_spawn` (the old map at `execve` is the parent's), so a fresh `--memory-probe`
    /// process reported the benchmark's 427 MB instead of its own 226 MB (ResNet-20).
    public static func peakResidentMegabytes() -> Double {
        if let kilobytes = ProcFile.value(of: "VmHWM", in: "/proc/self/status")?.split(separator: " ").first.flatMap({ Double($0) }) {
            return kilobytes / 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
