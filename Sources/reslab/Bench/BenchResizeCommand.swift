import ArgumentParser
import Benchmarks
import Foundation

/// `reslab bench resize`: resize and JPEG → tensor throughput beside Pillow, measured in the
/// same run on the same 256×256 JPEGs (written by `scripts/peers/pil_resize.py` on first use).
struct BenchResizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Time 256→32 and 256→128 resizes and JPEG → 32×32 tensors beside Pillow (1 and 2 threads).")

    @OptionGroup var peer: PeerOptions

    @Option(help: "Folder of the 256×256 JPEGs (the peer writes 200 there when it has none).")
    var images = BenchCache.folder.appendingPathComponent("resize-256").path

    @OptionGroup var threadCounts: BenchThreadsOption

    @Option(help: "Only the tasks whose name contains this text.")
    var only: String?

    func run() throws {
        let session = try BenchmarkSession(threads: threadCounts.threads, backgroundLoad: nil) { print($0) }
        let python = try session.peerPython(option: peer.python, modules: ["numpy", "PIL"], peer: "Pillow", skip: peer.noPeer)
        for threadCount in threadCounts.threads {
            struct Line: Decodable { var task: String; var images_per_s: Double; var pillow: String }
            let pillow = try python.map {
                try PeerScript(name: "pil_resize.py", python: $0).run(["--dir", images, "--threads", "\(threadCount)"], as: Line.self)
            } ?? []
            let rows = try ResizeBenchmark(folder: images, threads: threadCount).run(only: only)
            print("\(threadCount) thread\(threadCount == 1 ? "" : "s"): images/s (median of 5), reslab vs Pillow \(pillow.first?.pillow ?? "")")
            let table = TextTable(widths: [32, 8, 8, 7, 8])
            print("  " + table.row("task", "reslab", "Pillow", "ratio", "reslab img/CPU-s"))
            for row in rows {
                let peer = pillow.first { $0.task == row.pillowKey }?.images_per_s
                print("  " + table.row(row.name, Figure.rate(row.rate), Figure.rate(peer), Figure.ratio(row.rate, peer), Figure.rate(row.cpuRate)))
            }
        }
        session.finish()
    }
}
