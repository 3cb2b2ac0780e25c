import Foundation
import Kernels
import Testing
import TestSupport
@testable import Benchmarks

/// `NetworkBenchmark.interleavedWindows`: the thread counts' windows alternate, each followed by
/// its peer's window (so a drift of the host's speed falls on every count and both sides alike),
/// each runs with its own thread count, one-thread windows and the one-thread peer run on the CPU
/// the one-thread rows are pinned to; the ratio is the median of the rounds' quotients.
struct InterleavedWindowsTests {
    /// A fake peer: a shell script that, per window asked for, appends "peer <count> <CPUs it may
    /// run on>" to `log` and answers 100 img/s.
    private func fakePeer(in folder: String, log: String) throws -> String {
        let path = folder + "/peer.sh"
        #expect(writeExecutableScript("""
            #!/bin/sh
            cpus=$(grep Cpus_allowed_list /proc/self/status | cut -f2)
            echo '{"ready": true}'
            while read -r line; do
              echo "peer $1 $cpus" >> \(log)
              echo '{"images_per_s": 100, "images_per_cpu_s": 120}'
            done
            """, to: path))
        return path
    }

    @Test func windowsAlternateBetweenCountsAndPeersWithTheirThreadsAndPinning() throws {
        let folder = try ReslabBinary.temporaryFolder("interleaved")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let log = folder + "/order.log"
        #expect(FileManager.default.createFile(atPath: log, contents: nil))
        let peer = try fakePeer(in: folder, log: log)
        let cpu = CPUAffinity.processCPUs.last ?? 0
        var calls: [(index: Int, threads: Int, cpu: Int)] = []
        let timed = try NetworkBenchmark.withPeers({ count in try PeerWindows(executable: peer, arguments: ["\(count)"]) },
                                                   threads: [1, 2], oneThreadCPU: cpu) { peers in
            try NetworkBenchmark.interleavedWindows(threads: [1, 2], oneThreadCPU: cpu, rounds: 3, seconds: 0.002, peers: peers) { index in
                calls.append((index, Parallel.threadCount, CPUAffinity.currentCPU()))
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("ours \(index)\n".utf8))
                try handle.close()
            } as [NetworkBenchmark.Windows]
        }
        #expect(timed.count == 2 && timed.allSatisfy { $0.ours.count == 3 && $0.peer.count == 3 })
        #expect(timed.allSatisfy { $0.peer.allSatisfy { $0.wall == 100 && $0.cpu == 120 } })
        // Runs of the same side and index: ours (warm-up and window) then the peer, for each count, three rounds.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        var runs: [String] = []
        for line in lines {
            let key = line.split(separator: " ").prefix(2).joined(separator: " ")
            if runs.last != key { runs.append(key) }
        }
        #expect(runs == Array(repeating: ["ours 0", "peer 1", "ours 1", "peer 2"], count: 3).flatMap { $0 }, "\(runs)")
        #expect(calls.allSatisfy { $0.threads == [1, 2][$0.index] })
        if CPUAffinity.processCPUs.count >= 2 {
            #expect(calls.filter { $0.index == 0 }.allSatisfy { $0.cpu == cpu }, "one-thread windows ran off CPU \(cpu)")
            #expect(lines.filter { $0.hasPrefix("peer 1 ") }.allSatisfy { $0 == "peer 1 \(cpu)" }, "\(lines)")
            #expect(lines.filter { $0.hasPrefix("peer 2 ") }.allSatisfy { $0 != "peer 2 \(cpu)" }, "\(lines)")
        }
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
}
