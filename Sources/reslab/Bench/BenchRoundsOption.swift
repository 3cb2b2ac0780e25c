import ArgumentParser

/// `--rounds` of `bench train` and `bench onnx`: how many rounds of windows to time, each round
/// one window of reslab and one of its peer per thread count (`NetworkBenchmark.interleavedWindows`).
struct BenchRoundsOption: ParsableArguments {
    @Option(name: .long, help: "Rounds of timed windows; each round times one window of reslab, then one of the peer, per thread count. Medians are shown.")
    var rounds = 5

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, not \(rounds).") }
    }
}
