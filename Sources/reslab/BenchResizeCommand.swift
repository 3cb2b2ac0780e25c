import ArgumentParser
import Dispatch
import Foundation
import ImageIO
import Resample

/// `reslab bench resize`: resize and JPEG → tensor throughput beside Pillow, measured in the
/// same run on the same 256×256 JPEGs (written by ../shared/peers/pil_resize.py).
struct BenchResizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Time 256→32 and 256→128 resizes and JPEG → 32×32 tensors beside Pillow (1 and 2 threads).")

    @Option(help: "Pillow's peer script; it also writes the test images on first use.")
    var peer = "../shared/peers/pil_resize.py"

    @Option(help: "Python with Pillow 13 (see the peer script's header).")
    var python = "/tmp/peers/bin/python"

    @Option(help: "Folder the peer writes its images to; the 256×256 JPEGs are read from <dir>/smooth.")
    var images = "/tmp/peers/imgs"

    @Option(help: "Comma-separated thread counts.")
    var threads = "1,2"

    @Flag(help: "Skip Pillow (reslab's figures only; the images must already exist).")
    var skipPeer = false

    @Option(help: "Only the tasks whose name contains this text.")
    var only: String?

    func run() throws {
        for threadCount in threads.split(separator: ",").compactMap({ Int($0) }) {
            let pillow = skipPeer ? [:] : try pillowRates(threads: threadCount)
            let rows = try ResizeBenchmark(folder: images + "/smooth", threads: threadCount).run(only: only)
            print("\(threadCount) thread\(threadCount == 1 ? "" : "s"): images/s (median of 5), reslab vs Pillow \(pillow["version"].map { "\($0)" } ?? "")")
            print("  " + "task".padding(toLength: 34, withPad: " ", startingAt: 0) + "reslab    Pillow   ratio   (reslab per CPU-second)")
            for row in rows {
                let peer = pillow[row.pillowKey].flatMap { $0 as? Double }
                let peerText = peer.map { String(format: "%8.0f", $0) } ?? "       –"
                let ratio = peer.map { String(format: "%6.2f×", row.rate / $0) } ?? "      –"
                print("  " + row.name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: "%8.0f  ", row.rate) + peerText + "  " + ratio + String(format: "  %8.0f", row.cpuRate))
            }
        }
    }

    /// Runs the peer and flattens its JSON line into `"<task key>": images/s`.
    private func pillowRates(threads: Int) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [peer, "--threads", String(threads), "--dir", images]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw ValidationError("The Pillow peer \(peer) failed (exit \(process.terminationStatus)); run it by hand with \(python) to see why, or pass --skip-peer.")
        }
        var rates: [String: Any] = ["version": json["pillow"] ?? ""]
        for group in ["resize_from_256", "jpeg_to_32x32_end_to_end"] {
            for (key, value) in json[group] as? [String: Any] ?? [:] {
                rates[key] = (value as? [String: Any])?["images_per_s"]
            }
        }
        return rates
    }
}
