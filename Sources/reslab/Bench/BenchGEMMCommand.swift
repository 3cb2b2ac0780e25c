import ArgumentParser
import Foundation
import Benchmarks

/// `reslab bench gemm`: GFLOP/s of `Kernels.gemm` at 512³ and the CNN's shapes, 1 and 2 threads,
/// beside numpy + OpenBLAS SGEMM (`scripts/peers/numpy_gemm.py`) timed in the same run.
struct BenchGEMMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "Matrix-multiply GFLOP/s at 512³ and the CNN's shapes beside numpy + OpenBLAS.")

    @OptionGroup var threadCounts: BenchThreadsOption

    @Option(name: .long, help: "Timed samples per shape and thread count (each ≥ 20 ms); best and median are shown.")
    var samples = 9

    @OptionGroup var peer: PeerOptions

    @Option(name: .long, help: "Time these shapes instead of the standard set: M,N,K with optional ,tA and ,tB (e.g. 288,64,16384,tA).")
    var shape: [String] = []

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1.") }
    }

    func run() throws {
        let session = try BenchmarkSession(threads: threadCounts.threads, backgroundLoad: nil) { print($0) }
        let python = try session.peerPython(option: peer.python, modules: Peers.numpyModules, peer: "numpy + OpenBLAS", skip: peer.noPeer)
        print("GEMM GFLOP/s, best (median) of \(samples) samples of ≥ 20 ms")
        print(row("shape", "M×N×K", "thr", "reslab", "%peak", "numpy", "ratio", "cpu-time"))
        let shapes = try self.shape.isEmpty ? GEMMShape.benchmarkSet : self.shape.map(Self.parse)
        for shape in shapes {
            let peer = try python.map { try Peers.numpyGEMMTimes($0, shape: shape, threads: threadCounts.threads, samples: samples) } ?? [:]
            for threadCount in threadCounts.threads {
                let timing = timeGEMM(shape, threads: threadCount, samples: samples)
                var numpy = "—", ratio = "—"
                if let best = peer[threadCount] {
                    numpy = String(format: "%.0f", shape.flops / best / 1e9)
                    ratio = String(format: "%.2f×", best / timing.best)
                }
                print(row(
                    shape.name, "\(shape.m)×\(shape.n)×\(shape.k)", "\(threadCount)",
                    String(format: "%.0f (%.0f)", timing.gflops, timing.medianGFLOPs),
                    session.percentOfPeak(timing.gflops, threads: threadCount), numpy, ratio, String(format: "%.0f", timing.cpuGFLOPs)))
            }
        }
        session.finish()
    }

    /// "M,N,K[,tA][,tB]" as a shape named by itself.
    static func parse(_ text: String) throws -> GEMMShape {
        let parts = text.split(separator: ",").map(String.init)
        let sizes = parts.prefix(3).compactMap { Int($0) }
        let flags = Set(parts.dropFirst(3))
        guard sizes.count == 3, sizes.allSatisfy({ $0 >= 1 }), flags.isSubset(of: ["tA", "tB"]) else {
            throw ValidationError("--shape \(text) is not M,N,K with optional ,tA and ,tB (e.g. 288,64,16384,tA).")
        }
        return GEMMShape(name: text, transposeA: flags.contains("tA"), transposeB: flags.contains("tB"), m: sizes[0], n: sizes[1], k: sizes[2])
    }

    private func row(_ cells: String...) -> String {
        zip(cells, [18, 16, 4, 12, 7, 8, 7, 8]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            .joined(separator: " ")
    }
}
