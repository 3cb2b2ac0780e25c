import ArgumentParser

/// `reslab bench <what>`: benchmarks that print figures (img/s, GFLOP/s, peak RSS) beside a peer
/// measured in the same run. Each benchmark is a subcommand in its own file.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure reslab's speed beside a peer (Pillow, numpy) timed in the same run.",
        subcommands: [BenchGEMMCommand.self, BenchDecodeCommand.self, BenchTrainCommand.self, BenchResizeCommand.self,
                      BenchMNISTCommand.self])
}
