import ArgumentParser
import Benchmarks
import Foundation
import ImageIO

/// `reslab bench decode`: images/s decoding Imagenette and CIFAR-10 JPEGs on 1 and 2 threads,
/// beside Pillow decoding the same files in the same run (`scripts/peers/pil_decode.py`).
struct BenchDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "JPEG decode images/s on Imagenette and CIFAR-10 files beside Pillow.",
        discussion: """
            Unpack the datasets first, e.g. `mkdir -p /tmp/reslab-datasets && tar -xf \
            ../shared/datasets/imagenette-small.tar -C /tmp/reslab-datasets && tar -xzf \
            ../shared/datasets/cifar10.tar.gz -C /tmp/reslab-datasets` (the tests do this too).
            """)

    @Option(help: "The unpacked Imagenette folder.")
    var imagenette = "/tmp/reslab-datasets/imagenette-small"

    @Option(help: "The unpacked CIFAR-10 folder.")
    var cifar = "/tmp/reslab-datasets/cifar10"

    @Option(help: "Files sampled evenly from Imagenette (224 × 224 JPEG).")
    var imagenetteFiles = 500

    @Option(help: "Files sampled evenly from CIFAR-10 (32 × 32 JPEG).")
    var cifarFiles = 2000

    @OptionGroup var threadCounts: BenchThreadsOption

    @Option(help: "Each timing loops over the files for at least this many seconds.")
    var seconds = 1.0

    @Option(help: "Timings per set and thread count; the median is shown.")
    var repeats = 3

    @OptionGroup var peer: PeerOptions

    func validate() throws {
        guard seconds > 0, repeats >= 1 else { throw ValidationError("--seconds must be positive and --repeats at least 1.") }
        for folder in [imagenette, cifar] where !FileManager.default.fileExists(atPath: folder) {
            throw ValidationError("\(folder) does not exist: unpack the dataset there (see `reslab bench decode --help`) or pass its folder.")
        }
    }

    func run() throws {
        let session = try BenchmarkSession(threads: threadCounts.threads, backgroundLoad: nil) { print($0) }
        let python = try session.peerPython(option: peer.python, modules: ["PIL"], peer: "Pillow", skip: peer.noPeer)
        print("Decode images/s from files in memory, median of \(repeats) timings of ≥ \(seconds) s")
        print(row("set", "files", "thr", "reslab", "Pillow", "ratio"))
        for (name, root, count) in [("imagenette", imagenette, imagenetteFiles), ("cifar10", cifar, cifarFiles)] {
            let paths = try sampleImageFiles(under: root, limit: count)
            let files = try paths.map { try readBytes(atPath: $0) }
            let peer = try python.map { try pillowRates(paths, python: $0) } ?? [:]
            for threadCount in threadCounts.threads {
                let rate = measureDecodeRate(of: files, threadCount: threadCount, seconds: seconds, repeats: repeats)
                let pillow = peer[threadCount]
                print(row(name, "\(files.count)", "\(threadCount)", String(format: "%.0f", rate.median),
                          pillow.map { String(format: "%.0f", $0) } ?? "—",
                          pillow.map { String(format: "%.2f×", rate.median / $0) } ?? "—"))
            }
        }
        session.finish()
    }

    private func row(_ cells: String...) -> String {
        zip(cells, [11, 6, 4, 9, 9, 7]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " ")
    }

    /// Pillow's median images/s per thread count on the same files, from one run of the peer.
    private func pillowRates(_ paths: [String], python: PeerPython) throws -> [Int: Double] {
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("reslab-bench-decode-\(UUID().uuidString).txt")
        try paths.joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: list) }
        struct Line: Decodable { var threads: Int; var images_per_s: Double }
        let lines = try PeerScript(name: "pil_decode.py", python: python).run(
            ["--files", list.path, "--seconds", "\(seconds)", "--repeats", "\(repeats)"] + threadCounts.threads.flatMap { ["--threads", "\($0)"] },
            as: Line.self)
        return Dictionary(lines.map { ($0.threads, $0.images_per_s) }) { $1 }
    }
}
