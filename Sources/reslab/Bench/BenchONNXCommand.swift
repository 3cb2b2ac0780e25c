import ArgumentParser
import Benchmarks
import Foundation

/// `reslab bench onnx`: an imported ONNX model (by default a generated ResNet-18- or
/// MobileNetV2-shaped graph with random weights at 224 px, batch 32) run by reslab and by ONNX
/// Runtime in the same invocation.
struct BenchONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Imported ONNX model inference img/s beside ONNX Runtime on the same file and threads.",
        discussion: """
            Without --model, the model --generated names (shaped as torchvision's, random weights) is \
            written once by scripts/peers/onnx_models.py to $XDG_CACHE_HOME/reslab/bench (default ~/.cache/reslab/bench). \
            The peer's Python: --python, else $RESLAB_PEER_PYTHON, else the checkout's .venv-peers \
            (scripts/peers-venv.sh), else python3 on PATH.
            """)

    @Option(name: .long, help: "An ONNX image classifier (default: the --generated model).")
    var model: String?

    @Option(name: .long, help: "The generated model timed without --model (default: resnet-18).")
    var generated: ONNXBenchmark.GeneratedModel?

    @Option(name: .long, help: "Input size in pixels.")
    var size = 224

    @Option(name: .long, help: "Images per forward pass.")
    var batch = 32

    @OptionGroup var threadCounts: BenchThreadsOption

    @Option(name: .long, help: "Seconds per timed window, for reslab and the peer.")
    var seconds = 1.0

    @OptionGroup var rounds: BenchRoundsOption

    @OptionGroup var peer: PeerOptions

    @Flag(name: .long, help: "Run one niced single-thread busy process for the duration (the loaded-machine case).")
    var backgroundLoad = false

    func validate() throws {
        guard size >= 1, batch >= 1, seconds > 0 else { throw ValidationError("--size and --batch must be at least 1 and --seconds positive.") }
        if let model, !FileManager.default.fileExists(atPath: model) {
            throw ValidationError("--model \(model) does not exist; pass an ONNX file, or leave --model out for a generated model (--generated).")
        }
        if let model, let generated {
            throw ValidationError("--model \(model) and --generated \(generated.rawValue) both name the model; pass one of them.")
        }
    }

    func run() throws {
        let session = try BenchmarkSession(threads: threadCounts.threads, backgroundLoad: backgroundLoad ? BenchBusyCommand.invocation : nil) { print($0) }
        try ONNXBenchmark(model: model, generated: generated ?? .resnet18, size: size, batch: batch, threads: threadCounts.threads, rounds: rounds.rounds, seconds: seconds, python: peer.python, skipPeers: peer.noPeer)
            .run(session)
        session.finish()
    }
}

extension ONNXBenchmark.GeneratedModel: ExpressibleByArgument {}
