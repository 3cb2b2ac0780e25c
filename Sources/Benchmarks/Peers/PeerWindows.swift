import Foundation
import Kernels

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

    /// The longest `window()` waits for the peer's threads to go idle after its window.
    let idleWaitLimit: TimeInterval

    /// Starts `executable arguments` with `environment` added to ours and waits for its ready
    /// line. The process inherits the calling thread's CPU affinity (`CPUPinning`).
    public init(executable: String, arguments: [String], environment: [String: String] = [:], idleWaitLimit: TimeInterval = 1) throws {
        command = commandLine(executable, arguments, environment: environment)
        self.idleWaitLimit = idleWaitLimit
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

    /// Returns once no thread of the peer is running or waiting to run (none in state R of
    /// /proc/PID/task/TID/stat), or after `idleWaitLimit` (1 s): after a window the peer's runtime keeps its threads
    /// spinning for the next call (measured on the AVX2 EPYC, 2026-12-01: numpy's two OpenBLAS
    /// threads for about 0.1 s of CPU time, ONNX Runtime's for about 0.05 s), which would otherwise
    /// run into reslab's next window. (It first waited for 30 ms without a clock tick of CPU time,
    /// which a spinning peer that other processes kept off the cores also passes: under CI's
    /// parallel tests `PeerWindowsTests.aWindowEndsWhenThePeerIsIdle` failed that way.)
    private func waitUntilIdle() {
        for _ in 0..<max(1, Int(idleWaitLimit * 100)) {
            guard hasRunnableThread() == true else { return }
            usleep(10_000)
        }
    }

    /// Pins every thread of the peer to `cpu` (its threads started later inherit it), so that its
    /// next windows run there; false where a thread that still exists could not be pinned (one
    /// that ended meanwhile does not count) or /proc cannot be read.
    @discardableResult
    public func pin(to cpu: Int) -> Bool {
        guard let threads = threadIDs else { return false }
        let task = taskFolder, set = CPUAffinity.CPUSet([cpu])
        return threads.map { CPUAffinity.set(set, thread: $0) || !FileManager.default.fileExists(atPath: "\(task)/\($0)") }
            .allSatisfy { $0 }
    }

    private var taskFolder: String { "/proc/\(process.processIdentifier)/task" }

    /// The Linux thread ids of the peer's threads, nil where /proc cannot be read.
    private var threadIDs: [Int32]? {
        (try? FileManager.default.contentsOfDirectory(atPath: taskFolder))?.compactMap { Int32($0) }
    }

    /// Whether a thread of the peer is running or runnable, nil where /proc cannot be read.
    private func hasRunnableThread() -> Bool? {
        let task = taskFolder
        guard let threads = threadIDs else { return nil }
        return threads.contains { thread in
            // The state is the field right after the name, which ends at the last ")".
            guard let stat = try? String(contentsOfFile: "\(task)/\(thread)/stat", encoding: .utf8),
                  let afterName = stat.lastIndex(of: ")") else { return false }
            return stat[stat.index(after: afterName)...].split(separator: " ").first == "R"
        }
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
