import ArgumentParser
import Kernels

/// `--threads`, for every command that trains, tests or decodes.
struct ThreadsOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads (default: every CPU this process may use).")
    var threads: Int = Parallel.availableCPUs

    /// The most threads a command accepts: each has its own workspace, so a mistyped count
    /// (100000) would try to allocate that many.
    static let maximum = 1024

    func validate() throws {
        guard (1...Self.maximum).contains(threads) else {
            throw ValidationError("--threads must be from 1 to \(Self.maximum), not \(threads) (this process may use \(Parallel.availableCPUs) CPUs).")
        }
    }
}
