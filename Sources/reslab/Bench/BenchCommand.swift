import ArgumentParser

/// `reslab bench <what>`: benchmarks that print figures (img/s, GFLOP/s, peak RSS) beside a peer
/// measured in the same run. Each is a thin wrapper, in its own file, over the `Benchmarks` module.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure reslab's speed beside a peer (numpy, ONNX Runtime, JAX, Pillow) timed in the same run.",
        subcommands: [BenchTrainCommand.self, BenchONNXCommand.self, BenchGEMMCommand.self, BenchDecodeCommand.self,
                      BenchResizeCommand.self, BenchMNISTCommand.self, BenchBusyCommand.self])
}
