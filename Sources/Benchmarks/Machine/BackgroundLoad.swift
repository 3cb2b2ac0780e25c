import Foundation
import Kernels

/// One niced single-thread busy process running beside a benchmark (`--background-load`): the
/// "one small background process" under which 2-thread speed-ups are judged (issue 18). The
/// child is this program's hidden `bench busy` command; it exits by itself when its parent does.
public final class BackgroundLoad {
    /// The nice value the busy process gives itself (lower priority than the benchmark).
    public static let niceness: Int32 = 10
    public let process: Process

    /// Starts `executable arguments` (the busy command) and returns once it runs.
    public init(executable: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// "one busy process at nice 10 (pid 1234), single-threaded, for the whole benchmark".
    public var line: String {
        "background load: one busy single-thread process at nice \(Self.niceness) (pid \(process.processIdentifier)), for the whole benchmark"
    }

    /// Stops the busy process and waits for it: SIGTERM, then SIGKILL after `killAfterSeconds`
    /// (a process started by one that ignores or blocks SIGTERM inherits that, so SIGTERM alone
    /// may never end it; `reslab run` restores its own disposition when it ends).
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(Self.killAfterSeconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Seconds between SIGTERM and SIGKILL in `stop()`.
    public static let killAfterSeconds = 2.0

    deinit { stop() }

    /// The busy process's body: pins itself to `cpu` (when given), lowers its own priority to
    /// `niceness`, then spins on one thread until its parent `parent` is gone (checked every
    /// ~50 ms), so it never outlives the benchmark.
    public static func spin(parent: Int32, cpu: Int?) -> Never {
        if let cpu { CPUAffinity.pin(to: cpu) }
        // An ignored or blocked SIGTERM is inherited across exec (Dispatch's worker threads block
        // signals, see SlurmProgram); this process must end on one.
        signal(SIGTERM, SIG_DFL)
        var term = sigset_t()
        sigemptyset(&term)
        sigaddset(&term, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &term, nil)
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        var x = 1.0
        while getppid() == parent {
            let end = Date().addingTimeInterval(0.05)
            while Date() < end { for _ in 0..<10_000 { x = x * 0.999_999 + 1e-6 } }
        }
        exit(x > 0 ? 0 : 1)
    }
}
