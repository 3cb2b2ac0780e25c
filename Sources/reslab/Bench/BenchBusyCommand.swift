import ArgumentParser
import Benchmarks
import Foundation

/// `reslab bench busy --parent PID` (hidden): the single-thread niced busy process that
/// `--background-load` starts; it exits when its parent does.
struct BenchBusyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "busy", shouldDisplay: false)

    @Option(name: .long, help: "The benchmark's process id; the loop ends when it is gone.")
    var parent: Int32

    @Option(name: .long, help: "The CPU to run on (the one the benchmark's one-thread rows do not use).")
    var cpu: Int?

    func run() throws { BackgroundLoad.spin(parent: parent, cpu: cpu) }

    /// This program's path, for child processes of the benchmarks.
    static var executable: String { Bundle.main.executablePath ?? CommandLine.arguments[0] }

    /// The command line that starts the busy process for this process.
    static var invocation: (executable: String, arguments: [String]) {
        (executable, ["bench", "busy", "--parent", "\(getpid())"])
    }
}
