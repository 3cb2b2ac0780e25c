import Foundation

/// Why a benchmark cannot run, as a sentence naming the file, option or command and what to do.
public enum BenchmarkError: Error, CustomStringConvertible, Equatable {
    /// A child process (a peer script, the background load) exited with a failure status.
    case commandFailed(command: String, status: Int32, lastError: String)
    /// A child process was killed by a signal (SIGILL: an instruction this CPU does not have).
    case commandKilled(command: String, signal: Int32)
    /// A peer printed a line that is not the JSON it promises.
    case unreadablePeerOutput(script: String, line: String)
    /// `--python` names a Python that cannot run the peer.
    case unusablePython(path: String, reason: String)
    /// Input data of a benchmark is missing or malformed.
    case badInput(file: String, reason: String)

    public var description: String {
        switch self {
        case let .commandFailed(command, status, lastError):
            let why = lastError.isEmpty ? "" : " (\(lastError))"
            return "\(command) failed with exit status \(status)\(why); run it by hand to see why."
        case let .commandKilled(command, signal):
            let name = signal == SIGILL ? " (SIGILL: it ran an instruction this CPU does not have)"
                : signal == SIGKILL ? " (SIGKILL: often the kernel's out-of-memory killer)" : ""
            return "\(command) was killed by signal \(signal)\(name); run it by hand to see why."
        case let .unreadablePeerOutput(script, line):
            return "The peer \(script) printed \"\(line.prefix(200))\", not a JSON result line; run it by hand to see why."
        case let .unusablePython(path, reason):
            return "--python \(path) cannot run the peer: \(reason). Pass a Python that has it (scripts/peers-venv.sh makes one in .venv-peers), or leave --python out."
        case let .badInput(file, reason):
            return "\(file): \(reason)."
        }
    }
}
