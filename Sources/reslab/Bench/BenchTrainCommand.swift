import ArgumentParser
import Benchmarks
import Foundation

extension TrainBenchmark.Model: ExpressibleByArgument {}

/// `reslab bench train`: training and inference throughput beside numpy + OpenBLAS, ONNX Runtime
/// or JAX timed in the same invocation (`Benchmarks.TrainBenchmark`), with this machine's
/// measured FMA peak, CPU model, load and peak memory.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training (and inference) img/s beside numpy + OpenBLAS, ONNX Runtime or JAX, timed in the same run.",
        discussion: """
            Peers run with the Python given by --python, else $RESLAB_PEER_PYTHON, else the checkout's \
            .venv-peers (scripts/peers-venv.sh makes it), else python3 on PATH; a peer whose modules \
            are missing is skipped with a sentence saying so.
            """)

    @Option(name: .long, help: "The model: \(TrainBenchmark.Model.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model = TrainBenchmark.Model.referenceCNN

    @OptionGroup var threadCounts: BenchThreadsOption

    @Option(name: .long, parsing: .upToNextOption, help: "Inference input sizes (pixels; reference CNN).")
    var sizes: [Int] = [16, 32, 64, 128]

    @Option(name: .long, help: "Seconds per timed window, for reslab and the peers.")
    var seconds = 0.5

    @OptionGroup var rounds: BenchRoundsOption

    @OptionGroup var peer: PeerOptions

    @Flag(name: .long, help: "Run one niced single-thread busy process for the duration (the loaded-machine case).")
    var backgroundLoad = false

    @Flag(name: .long, help: .hidden)
    var memoryProbe = false

    func validate() throws {
        guard sizes.allSatisfy({ $0 >= 8 }) else { throw ValidationError("--sizes must be at least 8 (three 2×2 poolings).") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive.") }
    }

    func run() throws {
        let benchmark = TrainBenchmark(model: model, threads: threadCounts.threads, sizes: sizes, rounds: rounds.rounds, seconds: seconds, python: peer.python, skipPeers: peer.noPeer)
        if memoryProbe {
            try benchmark.memoryProbe()
            print(Int(MachineInfo.peakResidentMegabytes()))
            return
        }
        let session = try BenchmarkSession(threads: threadCounts.threads, backgroundLoad: backgroundLoad ? BenchBusyCommand.invocation : nil) { print($0) }
        try benchmark.run(session)
        print("\n" + (try benchmark.memoryLine(executable: BenchBusyCommand.executable)))
        session.finish()
    }
}
