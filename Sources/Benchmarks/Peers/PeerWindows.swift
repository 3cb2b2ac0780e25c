import Foundation

/// A peer benchmark kept running between its timed windows (`--serve`, scripts/peers/peer_common.py):
/// started once (setup and warm-up happen before `init` returns, at its ready line), then each
/// `window()` asks it for one window of ≥ its `--seconds` and reads the rate. `NetworkBenchmark`
/// times these windows between its own, so that both sides meet the same states of a shared host
/// whose speed changes for seconds to minutes at a time (on the AVX2 EPYC of 2026-12-01 one core
/// ran the same inference at about 3,550 or 5,500 img/s from one process to the next).
public final class PeerWindows {
    private let process = Process()
    private let input = Pipe(), output = Pipe()
    private let errorFile: StandardErrorFile
    private var buffered = Data()
    /// The command as a user would type it (environment first), for error messages.
    let command: String

    /// Starts `executable arguments` with `environment` added to ours and waits for its ready
    /// line. The process inherits the calling thread's CPU affinity (`CPUPinning`).
    public init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        command = commandLine(executable, arguments, environment: environment)
        PeerWindows.ignoreBrokenPipes
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = input
        process.standardOutput = output
        errorFile = try StandardErrorFile(process)
        do {
            try process.run()
            let ready = try nextLine()
            struct Ready: Decodable { var ready: Bool }
            guard (try? JSONDecoder().decode(Ready.self, from: Data(ready.utf8)))?.ready == true else {
                throw BenchmarkError.unreadablePeerOutput(script: command, line: ready)
            }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// One timed window of the peer: its images per wall second and per second of its CPU time.
    public func window() throws -> (wall: Double, cpu: Double) {
        do {
            try input.fileHandleForWriting.write(contentsOf: Data("window\n".utf8))
        } catch {
            throw failure()
        }
        let line = try nextLine()
        guard let rate = try? JSONDecoder().decode(WindowLine.self, from: Data(line.utf8)) else {
            throw BenchmarkError.unreadablePeerOutput(script: command, line: line)
        }
        waitUntilIdle()
        return (rate.imagesPerSecond, rate.imagesPerCPUSecond)
    }

    /// Returns once the peer has used less than a clock tick (10 ms) of CPU time in 30 ms, or
    /// after 1 s: after a window the peer's runtime keeps its threads spinning for the next call
    /// (measured on the AVX2 EPYC, 2026-12-01: numpy's two OpenBLAS threads for about 0.1 s of
    /// CPU time, ONNX Runtime's for about 0.05 s), which would otherwise run into reslab's next
    /// window.
    private func waitUntilIdle() {
        var used = processCPUTicks()
        for _ in 0..<33 {
            usleep(30_000)
            let now = processCPUTicks()
            if now == used { return }
            used = now
        }
    }

    /// The peer's user + system CPU time in clock ticks (/proc/PID/stat fields 14 and 15), nil
    /// where it cannot be read.
    private func processCPUTicks() -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let afterName = stat.lastIndex(of: ")") else { return nil }
        // Fields after the name start with the state (field 3): utime and stime are the 12th and 13th of these.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// Ends the peer: closes its input (its loop ends) and waits for it, for at most 3 s; a
    /// peer still running then (one that printed something else than its ready line and went on
    /// with its setup, say) is killed, so that a failed benchmark never hangs on it. Its
    /// standard-error file is removed also when the peer never started.
    public func close() {
        defer { errorFile.remove() }
        guard process.processIdentifier != 0 else { return }
        try? input.fileHandleForWriting.close()
        for _ in 0..<300 where process.isRunning { usleep(10_000) }
        // SIGKILL, which cannot be blocked or ignored: under `swift test` a SIGTERM did not end
        // such a peer (it ran out its 60 s sleep; a child inherits blocked and ignored signals).
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The next line of the peer's output; at its end, the error that says how the peer ended.
    private func nextLine() throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                buffered = Data(buffered[buffered.index(after: newline)...])
                return line
            }
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { throw failure() }
            buffered.append(more)
        }
    }

    /// Why the peer stopped answering: it exited (with its last line on standard error) or was killed.
    private func failure() -> BenchmarkError {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let last = errorFile.lastLine
        if process.terminationReason == .uncaughtSignal {
            return .commandKilled(command: command, signal: process.terminationStatus)
        }
        return .commandFailed(command: command, status: process.terminationStatus,
                              lastError: last.isEmpty ? "it ended without answering" : last)
    }

    /// A peer that exits early must not kill reslab with SIGPIPE when it is next asked for a
    /// window: the write then fails with EPIPE, which `window()` reports.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()
}

/// A window's line: {"images_per_s": …, "images_per_cpu_s": …}.
private struct WindowLine: Decodable {
    var imagesPerSecond: Double
    var imagesPerCPUSecond: Double

    enum CodingKeys: String, CodingKey {
        case imagesPerSecond = "images_per_s"
        case imagesPerCPUSecond = "images_per_cpu_s"
    }
}
