import Foundation
import ImageIO
import TestSupport

/// Helpers of the probe suite: every command runs under a time limit, and every outcome is
/// checked for the signs of a crash (a signal exit) or a hang.
enum Probe {
    /// What a probed command did.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the command outlived its limit and had to be stopped.
        var timedOut: Bool
        var seconds: Double

        /// A crash ends in a signal: the Process status of an uncaught signal, or 128 + signal
        /// from a shell. reslab's own exits are 0, 1, 64 (usage) and 130 (stopped by request).
        var crashed: Bool { status > 128 && status != 130 }
    }

    /// Runs `reslab arguments…` in `directory` (with `environment` added); after `limit` seconds
    /// sends SIGTERM, and SIGKILL 3 s later.
    static func run(_ arguments: [String], in directory: String, limit: Double = 30,
                    environment: [String: String] = [:]) throws -> Outcome {
        let start = Date()
        let (process, out, err) = try ReslabBinary.start(arguments, in: directory, environment: environment)
        let timedOut = waitForExit(process, seconds: limit)
        if timedOut {
            process.terminate()
            if waitForExit(process, seconds: 3) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let finished = ReslabBinary.outcome(process, out, err)
        return Outcome(status: finished.status, stdout: finished.stdout, stderr: finished.stderr,
                       timedOut: timedOut, seconds: Date().timeIntervalSince(start))
    }

    /// Waits up to `seconds` for `process` to exit; true when it is still running.
    static func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning
    }

    /// Writes an 8×8 RGB PNG of one grey level.
    static func writePNG(_ path: String, grey: UInt8) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let image = Image(width: 8, height: 8, channels: 3, pixels: [UInt8](repeating: grey, count: 8 * 8 * 3))
        _ = FileManager.default.createFile(atPath: path, contents: Data(try encodePNG(image)))
    }

    /// A class-per-folder dataset `root/a`, `root/b` with `perClass` images each.
    static func writeDataset(_ root: String, perClass: Int = 4) throws {
        for (name, grey) in [("a", UInt8(20)), ("b", UInt8(230))] {
            for index in 0..<perClass {
                try writePNG("\(root)/\(name)/\(index).png", grey: grey &+ UInt8(index))
            }
        }
    }

    /// The non-finite numbers of a text (`nan`, `-nan`, `inf`, `Infinity`, `NaN%` …): each such
    /// word standing alone, not inside a longer one (`isNaN`, `info`).
    static func nonFiniteTokens(_ text: String) -> [String] {
        text.matches(of: #/(?i)(?:^|[^A-Za-z0-9_.])([-+]?(?:nan|inf|infinity))(?![A-Za-z0-9_])/#).map { String($0.output.1) }
    }

    /// Every non-finite number in the text files under `folder` (results.csv, cell and remedy
    /// JSON, summary.json, data.json, nyquist.json, predictions, report.html, logs), as
    /// "path: token".
    static func nonFiniteNumbers(under folder: String) -> [String] {
        textFiles(under: folder).flatMap { file, text in nonFiniteTokens(text).map { "\(file): \($0)" } }
    }

    /// The UTF-8 files under `folder` with their text, in path order; checkpoints, training
    /// states and images are binary and left out.
    static func textFiles(under folder: String) -> [(path: String, text: String)] {
        let binary = ["ckpt", "state", "png", "jpg"]
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return files.sorted().compactMap { file in
            guard !binary.contains((file as NSString).pathExtension),
                  let data = FileManager.default.contents(atPath: folder + "/" + file),
                  let text = String(data: data, encoding: .utf8) else { return nil }
            return (file, text)
        }
    }
}
