import Foundation
import Kernels
import Testing
import TestSupport
@testable import Benchmarks

/// `NetworkBenchmark.interleavedWindows`: in each round reslab's calls alternate between the
/// thread counts call by call (one thread on each CPU in turn), each with its own thread count and
/// one-thread calls pinned to their CPU, and then each count's peer times a window, the
/// one-thread peer once on each of those CPUs; the ratio is the median of the windows' quotients.
struct InterleavedWindowsTests {
    /// A fake peer in `folder` and its log: a shell script that, per window asked for, appends
    /// "peer <count> <CPUs it may run on now>" to the log and answers 100 img/s.
    private func fakePeer(in folder: String) throws -> (peer: String, log: String) {
        let path = folder + "/peer.sh", log = folder + "/order.log"
        #expect(FileManager.default.createFile(atPath: log, contents: nil))
        #expect(writeExecutableScript("""
            #!/bin/sh
            echo '{"ready": true}'
            while read -r line; do
              cpus=$(grep Cpus_allowed_list /proc/self/status | cut -f2)
              echo "peer $1 $cpus" >> \(log)
              echo '{"images_per_s": 100, "images_per_cpu_s": 120}'
            done
            """, to: path))
        return (path, log)
    }

    /// One-thread windows run on each CPU the most threads' rows use, the starting CPU first; of
    /// more than 8, 8 spread evenly; without a count above 1, on the starting CPU alone.
    @Test func oneThreadWindowsRunOnTheCPUsTheLargestCountUses() {
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1, 2], processCPUs: [0, 1], first: 1) == [1, 0])
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1, 2], processCPUs: [4, 5, 6, 7], first: 6) == [4, 5])
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1, 4], processCPUs: [4, 5, 6, 7], first: 6) == [6, 4, 5, 7])
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1], processCPUs: [0, 1], first: 1) == [1])
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1, 2], processCPUs: [], first: 3) == [3])
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1, 16], processCPUs: Array(0..<16), first: 0) == [0, 2, 4, 6, 8, 10, 12, 14])
        #expect(BenchmarkSession.oneThreadCPUs(threads: [1, 16], processCPUs: Array(0..<16), first: 3) == [0, 2, 4, 6, 8, 10, 12, 14])
    }

    @Test func aCycleAlternatesTheCountsCallByCall() {
        typealias P = NetworkBenchmark.Placement
        #expect(NetworkBenchmark.cycle(threads: [1, 2], oneThreadCPUs: [1, 0])
                == [P(index: 0, cpu: 1), P(index: 1), P(index: 0, cpu: 0), P(index: 1)])
        #expect(NetworkBenchmark.cycle(threads: [4, 1, 2], oneThreadCPUs: [0, 1])
                == [P(index: 1, cpu: 0), P(index: 0), P(index: 2), P(index: 1, cpu: 1), P(index: 0), P(index: 2)])
        #expect(NetworkBenchmark.cycle(threads: [2, 4], oneThreadCPUs: [0]) == [P(index: 0), P(index: 1)])
        #expect(NetworkBenchmark.cycle(threads: [1], oneThreadCPUs: []) == [P(index: 0)])
    }

    @Test(.enabled(if: CPUAffinity.processCPUs.count >= 2, "needs 2 CPUs to pin to"))
    func callsAlternateAndEachPeerFollowsOnTheSameCPU() throws {
        let folder = try ReslabBinary.temporaryFolder("interleaved")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (peer, log) = try fakePeer(in: folder)
        // Not in increasing order, so that an order taken from elsewhere shows.
        let cpus = [CPUAffinity.processCPUs[1], CPUAffinity.processCPUs[0]]
        var calls: [(index: Int, threads: Int, cpu: Int)] = []
        let timed = try NetworkBenchmark.withPeers({ count in try PeerWindows(executable: peer, arguments: ["\(count)"]) },
                                                   threads: [1, 2], oneThreadCPU: cpus[0]) { peers in
            try NetworkBenchmark.interleavedWindows(threads: [1, 2], oneThreadCPUs: cpus, rounds: 3, seconds: 0.003, peers: peers) { index in
                calls.append((index, Parallel.threadCount, CPUAffinity.currentCPU()))
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("ours \(index) \(index == 0 ? CPUAffinity.currentCPU() : -1)\n".utf8))
                try handle.close()
                usleep(1_000)
            } as [NetworkBenchmark.Windows]
        }
        #expect(timed[0].ours.count == 6 && timed[0].peer.count == 6 && timed[0].cpus == cpus)
        #expect(timed[1].ours.count == 3 && timed[1].peer.count == 3 && timed[1].cpus.isEmpty)
        #expect(timed.allSatisfy { $0.peer.allSatisfy { $0.wall == 100 && $0.cpu == 120 } })
        // One machine probe rate per window of reslab's, each measured.
        #expect(timed[0].machine.count == 6 && timed[1].machine.count == 3 && timed.allSatisfy { $0.machine.allSatisfy { $0 > 0 } })
        #expect(calls.allSatisfy { $0.threads == [1, 2][$0.index] })
        // Each round: whole cycles of reslab's calls (1 thread on cpus[0], 2, 1 thread on cpus[1],
        // 2), at least two, then the peers in the same order: one thread on cpus[0], two threads
        // (not pinned to one CPU), one thread on cpus[1].
        var lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)[...]
        let cycle = ["ours 0 \(cpus[0])", "ours 1 -1", "ours 0 \(cpus[1])", "ours 1 -1"]
        for _ in 0..<3 {
            let ours = lines.prefix { $0.hasPrefix("ours ") }
            #expect(ours.count >= 8 && ours.count % 4 == 0 && ours.enumerated().allSatisfy { $1 == cycle[$0 % 4] }, "\(ours)")
            lines = lines.dropFirst(ours.count)
            let peers = Array(lines.prefix(3))
            #expect(peers.count == 3 && peers[0] == "peer 1 \(cpus[0])" && peers[2] == "peer 1 \(cpus[1])", "\(peers)")
            #expect(peers.count == 3 && peers[1].hasPrefix("peer 2 ") && !cpus.map { "peer 2 \($0)" }.contains(peers[1]), "\(peers)")
            lines = lines.dropFirst(3)
        }
        #expect(lines.isEmpty, "\(lines)")
    }

    /// A one-thread CPU that cannot be pinned to (1023: past this machine's): reslab's calls
    /// there and the peer's windows there run anyway, each counted, and the lines after the
    /// table end in the warning.
    @Test(.enabled(if: !CPUAffinity.processCPUs.isEmpty && !CPUAffinity.processCPUs.contains(1023), "needs affinity"))
    func callsAndPeerWindowsThatCannotBePinnedAreCounted() throws {
        let folder = try ReslabBinary.temporaryFolder("interleaved")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (peer, log) = try fakePeer(in: folder)
        var callsOff = 0
        let cpus = [CPUAffinity.processCPUs[0], 1023]
        let timed = try NetworkBenchmark.withPeers({ count in try PeerWindows(executable: peer, arguments: ["\(count)"]) },
                                                   threads: [1], oneThreadCPU: cpus[0]) { peers in
            try NetworkBenchmark.interleavedWindows(threads: [1], oneThreadCPUs: cpus, rounds: 2, seconds: 0.002, peers: peers) { _ in
                if CPUAffinity.current() != CPUAffinity.CPUSet([cpus[0]]) { callsOff += 1 }
                usleep(1_000)
            } as [NetworkBenchmark.Windows]
        }
        // Two warm-up cycles (not counted) and then the timed calls on CPU 1023, one per cycle.
        #expect(callsOff > 2 && timed[0].unpinnedCalls == callsOff - 2, "\(callsOff) calls off their CPU, \(timed[0].unpinnedCalls) counted")
        #expect(timed[0].unpinnedPeerWindows == 2)
        let comparisons = NetworkBenchmark.comparisons(timed, threads: [1], batch: 1, flopsPerImage: 1, parameters: 1)
        #expect(Figure.afterTable([comparisons], threads: [1], peer: "fake").last?.hasPrefix(
            "warning: \(callsOff - 2) of reslab's one-thread calls and 2 of fake's one-thread windows could not be pinned") == true)
    }

    /// Rounds whose host ran at different speeds: the ratio is the median of each round's
    /// quotient (here 2.0), not the quotient of the medians (300 ÷ 100 = 3.0).
    @Test func ratioIsTheMedianOfTheRoundsQuotients() {
        let windows = NetworkBenchmark.Windows(ours: [(1, 1), (3, 3), (5, 5)].map { (Double($0.0), Double($0.1)) },
                                               peer: [(50, 60), (150, 160), (100, 110)])
        let result = NetworkBenchmark.comparisons([windows], threads: [1], batch: 100, flopsPerImage: 10, parameters: 7)[1]!
        #expect(result.ours.imagesPerSecond == 300 && result.peer?.imagesPerSecond == 100 && result.peer?.imagesPerCPUSecond == 110)
        #expect(result.ratio == 2.0)
        let alone = NetworkBenchmark.comparisons([NetworkBenchmark.Windows(ours: [(2, 2)])], threads: [1], batch: 10,
                                                 flopsPerImage: 1, parameters: 1)[1]!
        #expect(alone.peer == nil && alone.ratio == nil && alone.ours.imagesPerSecond == 20)
    }

    /// One-thread windows on two CPUs: the ratio is the median of all six windows' quotients,
    /// a round's rate the mean of its two CPUs' (what the speed-up divides by), and each CPU's
    /// figure the median of its own windows.
    @Test func oneThreadWindowsOnSeveralCPUs() {
        let ours = [1.0, 3, 2, 4, 5, 3], peer = [50.0, 100, 100, 200, 100, 150]
        let windows = NetworkBenchmark.Windows(ours: ours.map { ($0, $0) }, peer: peer.map { ($0, $0) }, cpus: [1, 0])
        let result = NetworkBenchmark.comparisons([windows], threads: [1], batch: 100, flopsPerImage: 10, parameters: 7)[1]!
        #expect(result.ours.imagesPerSecond == 300 && result.ratio == 2)
        #expect(result.oursPerRound == [200, 300, 400] && result.peerPerRound == [75, 150, 125])
        #expect(result.cpus == [1, 0] && result.oursPerCPU == [200, 300] && result.peerPerCPU == [100, 150])
        #expect(Figure.perCPU([result], peer: "numpy") == "one thread on CPU 1 / CPU 0, median img/s: reslab 200 / 300, numpy 100 / 150")
        #expect(Figure.perCPU([result, result], sizes: [16, 32], peer: "ORT")
                == "one thread on CPU 1 / CPU 0, median img/s at 16; 32 px: reslab 200 / 300; 200 / 300, ORT 100 / 150; 100 / 150")
        let single = NetworkBenchmark.comparisons([NetworkBenchmark.Windows(ours: [(2, 2)], cpus: [3])], threads: [1], batch: 10,
                                                  flopsPerImage: 1, parameters: 1)[1]!
        #expect(Figure.perCPU([single], peer: "numpy") == nil)
    }
}
