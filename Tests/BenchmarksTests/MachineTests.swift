import Foundation
import Kernels
import Testing
import TestSupport
@testable import Benchmarks

/// The machine facts every benchmark prints, and the FMA calibration loop behind "% of peak".
struct MachineTests {
    /// The loop computes x ← s·x + c in float32 with one rounding per step; after n steps from
    /// x₀ every chain is within float rounding of the closed form c(1 − sⁿ)/(1 − s) + sⁿx₀
    /// (computed in Double here), so the compiler kept every FMA.
    @Test func fmaLoopComputesTheRecurrence() {
        let s: Float = 0.999, n = 5_000
        let got = Double(FMAPeak.fmaLoop(iterations: n, scale: s))
        let sn = pow(Double(s), Double(n)), fixed = 1e-7 / (1 - Double(s))
        let expected = (0..<12).reduce(0.0) { total, chain in
            let x0 = Double(Float(0.1) + [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11][chain])
            return total + Double(TargetSIMD.floatsPerRegister) * (fixed * (1 - sn) + sn * x0)
        }
        #expect(abs(got - expected) <= 1e-3 * abs(expected), "\(got) vs \(expected)")
    }

    /// A measured peak is a positive rate; the wall rate of one thread cannot exceed what the
    /// thread does per second of its own CPU time (beyond timer noise), and two threads' wall rate
    /// cannot exceed two cores' peak.
    @Test func peakIsMeasured() {
        let one = FMAPeak.measure(threads: 1, windows: 3, seconds: 0.02)
        let two = FMAPeak.measure(threads: 2, windows: 3, seconds: 0.02)
        #expect(one.perCore > 1 && one.wall > 1 && two.wall > 1)
        #expect(one.wall <= 1.1 * one.perCore, "1 thread: wall \(one.wall), per core \(one.perCore) GFLOP/s")
        #expect(two.wall <= 2.2 * max(one.perCore, two.perCore), "2 threads: wall \(two.wall), per core \(one.perCore) GFLOP/s")
    }

    @Test func machineLineNamesCPUAndLoad() throws {
        let machine = MachineInfo.current()
        let cpuInfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        #expect(cpuInfo.contains(machine.cpuModel) && machine.cpuModel != "unknown CPU")
        #expect(machine.loadAverage.split(separator: " ").compactMap { Double($0) }.count == 3, "\(machine.loadAverage)")
        #expect(machine.line.hasPrefix(machine.cpuModel + ", \(machine.cores) core\(machine.cores == 1 ? "" : "s"), load average "))
    }

    /// The flags are /proc/cpuinfo's: this machine's SIMD level is among them, and numpy's
    /// OpenBLAS is told to use its AVX-512 kernels only where `avx512f` is one (on an AVX2 CPU
    /// they die with SIGILL: `bench train` failed so on an AVX2 EPYC).
    @Test func cpuFlagsChooseOpenBLASKernels() throws {
        let flags = MachineInfo.current().cpuFlags
        let cpuInfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        #expect(flags.contains("fpu") && flags.contains("sse2"), "\(flags.sorted().prefix(8))")
        #expect(flags.allSatisfy { cpuInfo.contains(" \($0)") })
        #expect(Peers.openBLASEnvironment(cpuFlags: ["sse2", "avx2", "fma"]) == [:])
        #expect(Peers.openBLASEnvironment(cpuFlags: ["avx2", "avx512f", "avx512bw"]) == ["OPENBLAS_CORETYPE": "SkylakeX"])
    }

    /// Package.swift decides from the building machine's flags whether Kernels is compiled for
    /// AVX-512 (the 8 × 32 tile) or not (its 6 × 16, 2 × 32 and 4 × 16 parts); a native build must agree with
    /// the CPU it runs on, or the tile spills (or, the other way, dies with SIGILL).
    @Test func nativeBuildUsesTheTileForThisCPU() {
        let target = ProcessInfo.processInfo.environment["RESLAB_TARGET_CPU"] ?? "native"
        guard target == "native" else {
            Fixtures.skip("built for RESLAB_TARGET_CPU=\(target), not this machine")
            return
        }
        #expect(TargetSIMD.hasAVX512 == MachineInfo.current().cpuFlags.contains("avx512f"), "\(TargetSIMD.tileDescription)")
    }

    /// A peer killed by a signal is reported as such, with the environment it was given, not as
    /// "exit status 4" (what Foundation reports for SIGILL), which running it by hand without
    /// that environment would not reproduce.
    @Test func killedChildIsNamedWithItsSignalAndEnvironment() throws {
        let error = #expect(throws: BenchmarkError.self) {
            try runCapturingOutput("/bin/sh", ["-c", "kill -ILL $$"], environment: ["OPENBLAS_CORETYPE": "SkylakeX"])
        }
        #expect(error?.description == "OPENBLAS_CORETYPE=SkylakeX /bin/sh -c kill -ILL $$ was killed by signal 4 (SIGILL: it ran an instruction this CPU does not have); run it by hand to see why.")
        let failed = #expect(throws: BenchmarkError.self) { try runCapturingOutput("/bin/sh", ["-c", "echo no >&2; exit 3"]) }
        #expect(failed?.description == "/bin/sh -c echo no >&2; exit 3 failed with exit status 3 (no); run it by hand to see why.")
    }

    /// Touching a block 64 MB larger than the peak so far makes the peak at least that block
    /// (skipped when the test process already peaked above 1 GB: the block would be too large).
    @Test func peakResidentMemoryFollowsAllocation() {
        let before = MachineInfo.peakResidentMegabytes()
        guard before < 1024 else {
            Fixtures.skip("this test process already peaked at \(Int(before)) MB")
            return
        }
        let megabytes = Int(before) + 64, bytes = megabytes << 20
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes)
        defer { block.deallocate() }
        for page in stride(from: 0, to: bytes, by: 4096) { block[page] = UInt8(truncatingIfNeeded: page >> 12) }
        #expect(MachineInfo.peakResidentMegabytes() >= Double(megabytes), "before \(before) MB, touched \(megabytes) MB")
    }

    /// `stop()` ends the process even when it ignores SIGTERM (the disposition a child of
    /// `reslab run` inherits): SIGKILL follows after `killAfterSeconds`. The bound is far below
    /// the child's own 600 s; Foundation may notice the exit late on a busy machine.
    @Test func backgroundLoadStopsEvenWhenSIGTERMIsIgnored() throws {
        let load = try BackgroundLoad(executable: "/bin/sh", arguments: ["-c", "trap '' TERM; exec sleep 600"])
        #expect(load.process.isRunning)
        usleep(200_000)  // let the shell install its trap
        let start = Date()
        load.stop()
        #expect(!load.process.isRunning)
        #expect(kill(load.process.processIdentifier, 0) != 0, "the process is gone")
        #expect(Date().timeIntervalSince(start) < 120)
    }

    @Test func tablesAndFigures() {
        #expect(TextTable(widths: [4, 6]).row("ab", "1234", "x") == "ab   1234   x")
        #expect(Figure.rate(1234.4) == "1234" && Figure.rate(12.34) == "12.3" && Figure.rate(nil) == "—")
        #expect(Figure.ratio(3, 2) == "1.50×" && Figure.ratio(3, nil) == "—" && Figure.milliseconds(0.0123) == "12 ms")
        #expect(Figure.speedUps([[1: rounds([100], peer: [50]), 2: rounds([190], peer: [60])]], threads: [1, 2], peer: "numpy")
                == "speed-up 1 → 2 threads: reslab 1.90×, numpy 1.20×")
        #expect(Figure.speedUps([[1: rounds([100], peer: [10]), 2: rounds([180])], [1: rounds([20], peer: [5]), 2: rounds([40], peer: [8])]],
                                threads: [2, 1], sizes: [16, 32], peer: "ORT")
                == "speed-up 1 → 2 threads at 16 / 32 px: reslab 1.80× / 2.00×, ORT — / 1.60×")
        #expect(Figure.speedUps([[1: rounds([100])]], threads: [1], peer: "numpy") == "")
        // Paired by round: the rounds' quotients 1.9, 1.1, 2.0 give 1.90×, not 330 ÷ 200 (the medians' 1.65×).
        #expect(Figure.speedUps([[1: rounds([100, 300, 200]), 2: rounds([190, 330, 400])]], threads: [1, 2], peer: "numpy")
                == "speed-up 1 → 2 threads: reslab 1.90×, numpy —")
    }

    /// The machine's speed-up is the median of its rounds' quotients; reslab's share the median of
    /// each round's reslab speed-up ÷ the machine's in the same round (here rounds 1.9 / 1.5,
    /// 1.1 / 1.0, 2.0 / 2.0: 1.27, 1.10, 1.00), not the quotient of the two medians.
    @Test func machineSpeedUpsPairReslabsRoundsWithTheMachinesRounds() {
        let measured = [1: rounds([100, 300, 200], machine: [10, 10, 10]), 2: rounds([190, 330, 400], machine: [15, 10, 20])]
        let prefix = "the machine in the same rounds (an FMA loop timed right after reslab's calls, same threads and CPUs): "
        #expect(Figure.machineSpeedUps([measured], threads: [1, 2])
                == prefix + "1 → 2 threads 1.50×; reslab's speed-up ÷ the machine's 1.10")
        #expect(Figure.machineSpeedUps([measured, [1: rounds([10], machine: []), 2: rounds([20], machine: [])]], threads: [2, 1], sizes: [16, 32])
                == prefix + "1 → 2 threads at 16 / 32 px 1.50× / —; reslab's speed-up ÷ the machine's 1.10 / —")
        #expect(Figure.machineSpeedUps([[1: rounds([10], machine: []), 2: rounds([20], machine: [])]], threads: [1, 2]) == nil)
        #expect(Figure.machineSpeedUps([measured], threads: [1]) == nil)
    }

    /// The probe runs the FMA loop on the threads it is given, in `chunksPerThread` chunks per
    /// thread of at least `minimumIterations` per thread the first time, then as many iterations
    /// as the seconds asked take at the rate it measured. (Not its wall time: the tests run in
    /// parallel, and a first probe slowed 5× by another test's threads once made 0.05 s of
    /// iterations take 0.009 s.)
    @Test func machineProbeRunsTheIterationsItReports() {
        var probe = MachineProbe()
        let first = probe.run(NetworkBenchmark.Placement(index: 0, cpu: nil), threads: 2, seconds: 0)
        #expect(first.iterations == 2 * MachineProbe.minimumIterations && first.wall > 0)
        let longer = probe.run(NetworkBenchmark.Placement(index: 0, cpu: nil), threads: 2, seconds: 0.05)
        let perThread = max(MachineProbe.minimumIterations, Int(0.05 * (Double(first.iterations) / max(first.wall, 1e-9) / 2)))
        let chunks = 2 * MachineProbe.chunksPerThread
        #expect(longer.iterations == perThread * 2 / chunks * chunks && longer.wall > 0, "\(longer) after \(first)")
        let one = probe.run(NetworkBenchmark.Placement(index: 1, cpu: CPUAffinity.processCPUs.first), threads: 1, seconds: 0)
        #expect(one.iterations == MachineProbe.minimumIterations && one.wall > 0)
    }

    /// One-thread rows run pinned: inside `onCPU(cpu)` the thread is on that CPU,
    /// for every CPU of the machine.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aOneThreadRowRunsOnTheCPUItIsPinnedTo() {
        for cpu in 0..<ProcessInfo.processInfo.activeProcessorCount {
            var unpinned = 0
            let ranOn = CPUPinning.onCPU(cpu, unpinned: &unpinned) { CPUAffinity.currentCPU() }
            #expect(ranOn == cpu && unpinned == 0, "pinned to CPU \(cpu), ran on \(ranOn)")
        }
    }

    /// A CPU the process may not use (1023: past this machine's) cannot be pinned to: the body
    /// still runs, and the failure is counted for the benchmark's warning.
    @Test(.enabled(if: !CPUAffinity.processCPUs.isEmpty && !CPUAffinity.processCPUs.contains(1023), "needs affinity"))
    func aPinThatFailsIsCounted() {
        var unpinned = 0
        #expect(CPUPinning.onCPU(1023, unpinned: &unpinned) { 7 } == 7 && unpinned == 1)
        #expect(CPUPinning.onCPU(nil, unpinned: &unpinned) { 8 } == 8 && unpinned == 1)
        var comparison = NetworkBenchmark.comparisons([NetworkBenchmark.Windows(ours: [(1, 1)], unpinnedCalls: 3, unpinnedPeerWindows: 1)],
                                                      threads: [1], batch: 1, flopsPerImage: 1, parameters: 1)[1]!
        #expect(comparison.unpinnedCalls == 3 && comparison.unpinnedPeerWindows == 1)
        #expect(Figure.unpinned([comparison, comparison], peer: "numpy")
                == "warning: 6 of reslab's one-thread calls and 2 of numpy's one-thread windows could not be pinned to their CPU "
                   + "(sched_setaffinity failed) and ran where the scheduler put them: the per-CPU figures and ratios mix CPUs")
        (comparison.unpinnedCalls, comparison.unpinnedPeerWindows) = (0, 0)
        #expect(Figure.unpinned([comparison], peer: "numpy") == nil)
    }
}

/// A comparison holding only per-round rates: reslab's, the peer's and the machine probe's.
private func rounds(_ ours: [Double], peer: [Double] = [], machine: [Double] = []) -> Comparison {
    var comparison = NetworkBenchmark.comparisons([NetworkBenchmark.Windows(ours: [(1, 1)])], threads: [1], batch: 1,
                                                  flopsPerImage: 1, parameters: 1)[1]!
    (comparison.oursPerRound, comparison.peerPerRound, comparison.machinePerRound) = (ours, peer, machine)
    return comparison
}
