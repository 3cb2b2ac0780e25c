import Foundation
import Kernels
import Testing
import TestSupport

/// The default `--threads` is the number of CPUs the process may use, not the machine's
/// processor count: a reslab started on one CPU (as `taskset -c 1`, or a Slurm job's cpuset of
/// one CPU, starts it) defaults to 1 thread instead of running every CPU's worth on one.
struct ThreadsEndToEndTests {
    /// The `--threads` default in `reslab run --help`, started with the CPUs `cpus` (the child
    /// inherits the affinity of the thread that starts it).
    private func defaultThreads(startedOn cpus: CPUAffinity.CPUSet) throws -> String {
        let folder = try ReslabBinary.temporaryFolder("e2e-threads")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let saved = try #require(CPUAffinity.current())
        #expect(CPUAffinity.set(cpus))
        defer { CPUAffinity.set(saved) }
        let outcome = try ReslabBinary.run(["run", "--help"], in: folder)
        let help = outcome.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let prefix = "Worker threads (default: every CPU this process may use). (default: "
        let start = try #require(help.range(of: prefix), "no --threads line in:\n\(outcome.stdout)")
        return String(help[start.upperBound...].prefix { $0 != ")" })
    }

    @Test(.enabled(if: CPUAffinity.processCPUs.count >= 2, "needs 2 CPUs"))
    func defaultThreadsAreTheCPUsTheProcessMayUse() throws {
        let cpus = CPUAffinity.processCPUs
        #expect(try defaultThreads(startedOn: CPUAffinity.CPUSet(cpus)) == "\(cpus.count)")
        #expect(try defaultThreads(startedOn: CPUAffinity.CPUSet([cpus[cpus.count - 1]])) == "1")
    }

    /// A thread count that is not a count of workers is refused before anything starts, by every
    /// command that takes one, with the range and the CPUs this process may use.
    @Test(arguments: [["run", "x.yaml"], ["eval", "--model", "m.ckpt", "--data", "d"], ["train", "--data", "d"],
                      ["remedy", "r"], ["inspect", "d"]])
    func aThreadCountOutOfRangeIsRefused(_ command: [String]) throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-threads")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for threads in ["0", "100000"] {
            let outcome = try ReslabBinary.run(command + ["--threads", threads], in: folder)
            #expect(outcome.status == 64, "exit status \(outcome.status)")
            #expect(outcome.stderr.contains("--threads must be from 1 to 1024, not \(threads) (this process may use \(Parallel.availableCPUs) CPUs)."),
                    "\(command) --threads \(threads): \(outcome.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "something was made in \(folder)")
    }

    /// The benchmarks' thread counts: each from 1 to 1024 and each once (`--threads 2 2` crashed
    /// `bench train` once its timing windows were keyed by count), for every benchmark.
    @Test(arguments: ["train", "onnx", "gemm", "decode", "resize"])
    func aBenchmarksThreadCountsAreEachGivenOnce(_ benchmark: String) throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-threads")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (threads, sentence) in [(["2", "2"], "--threads names 2 twice; give each count once, e.g. --threads 1 2."),
                                    (["1", "0"], "--threads takes counts from 1 to 1024, not 0.")] {
            let outcome = try ReslabBinary.run(["bench", benchmark, "--threads"] + threads + ["--no-peer"], in: folder)
            #expect(outcome.status == 64 && outcome.stderr.contains(sentence), "bench \(benchmark) --threads \(threads): \(outcome.stderr)")
        }
    }
}
