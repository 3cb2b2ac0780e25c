import Experiment
import Foundation
import NN

/// `reslab bench train`: a model's training (and, for the reference CNN, inference) throughput on
/// each thread count, each figure beside a peer timed in the same invocation, back to back.
///
/// - reference CNN: training batch 64 at 32 px (AdamW) beside numpy + OpenBLAS (Adam, the same
///   FLOPs); inference batch 256 at each size beside ONNX Runtime on the same graph
///   (`onnx_models.py reference-cnn`) with the same thread count.
/// - resnet-20 (the zoo's, option B, 273,258 parameters): training batch 128 at 32 px, SGD with
///   momentum 0.9, batch norm in training mode, beside the same step in JAX (`jax_resnet20.py`).
public struct TrainBenchmark {
    public enum Model: String, CaseIterable, Sendable {
        case referenceCNN = "reference-cnn"
        case resnet20 = "resnet-20"

        /// Training batch and input size of the timed step.
        var batch: Int { self == .referenceCNN ? 64 : 128 }
        var size: Int { 32 }
        /// Input size of the peak-memory probe: 128 px for the reference CNN, where activations
        /// dominate; the timed 32 px for resnet-20 (at 128 px its batch of 128 needs gigabytes).
        var memorySize: Int { self == .referenceCNN ? 128 : 32 }

        /// The classifier graph for 10 classes.
        func graph() throws -> GraphSpec {
            switch self {
            case .referenceCNN: return try GraphSpec(chain: ModelSpec.referenceCNN().classifier(classes: 10))
            case .resnet20: return try ModelZoo.classifierGraph("resnet-20", classes: 10)!
            }
        }

        /// A fresh optimizer for the timed steps (its state is part of the step's work).
        func optimizer() -> Optimizer {
            switch self {
            case .referenceCNN: return Optimizer(.adamW, schedule: LearningRateSchedule(base: 1e-3))
            case .resnet20: return Optimizer(.sgd(momentum: 0.9, nesterov: false), schedule: LearningRateSchedule(base: 0.1))
            }
        }
    }

    public var model: Model
    public var threads: [Int]
    /// Inference input sizes (reference CNN only).
    public var sizes: [Int]
    /// Rounds of timed windows (`NetworkBenchmark.interleavedWindows`) and seconds per window,
    /// for reslab and the peers alike.
    public var rounds: Int
    public var seconds: Double
    /// `--python`, or nil to search (`PeerPython.find`).
    public var python: String?
    public var skipPeers: Bool

    public init(model: Model, threads: [Int], sizes: [Int], rounds: Int, seconds: Double, python: String?, skipPeers: Bool) {
        self.model = model
        self.threads = threads
        self.sizes = sizes
        self.rounds = rounds
        self.seconds = seconds
        self.python = python
        self.skipPeers = skipPeers
    }

    public func run(_ session: BenchmarkSession) throws {
        let out = session.out
        session.placementLines(threads: threads).forEach(out)
        out(ComparisonTable.ratioNote)
        switch model {
        case .referenceCNN: try referenceCNN(session, out)
        case .resnet20: try resNet20(session, out)
        }
    }

    private func referenceCNN(_ session: BenchmarkSession, _ out: (String) -> Void) throws {
        let graph = try model.graph()
        out("model: reference CNN [\(ModelSpec.referenceCNN())]")
        let numpy = try session.peerPython(option: python, modules: Peers.numpyModules, peer: "numpy + OpenBLAS", skip: skipPeers)
        let ort = try session.peerPython(option: python, modules: Peers.onnxRuntimeModules, peer: "ONNX Runtime", skip: skipPeers)
        out("\ntraining, batch \(model.batch), \(model.size)×\(model.size) (reslab AdamW; numpy: Adam, \(Peers.openBLASChoice))")
        try trainingTable(session, peer: "numpy", numpy.map { python in
            { count in try Peers.numpyCNNTraining(python, threads: count, batch: model.batch, size: model.size, seconds: seconds) }
        })

        out("\ninference, batch 256, random weights (ONNX Runtime on the same graph built with onnx.helper, same threads)")
        let modelFile = try ort.map { try Peers.onnxModel("reference-cnn", python: $0) }
        let table = ComparisonTable(leading: ["size", "threads"], peer: "ORT", call: "batch")
        out(table.header)
        let network = try Network(graph: graph, inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 1)
        var bySize: [[Int: Comparison]] = []
        for size in sizes {
            let peer: NetworkBenchmark.StartPeer? = both(ort, modelFile).map { python, file in
                { count in try Peers.onnxRuntimeInference(python, model: file, threads: count, batch: 256, size: size, seconds: seconds) }
            }
            let measured = try NetworkBenchmark.inference(network: network, batch: 256, size: size, threads: threads,
                                                          oneThreadCPUs: session.oneThreadCPUs(threads: threads), rounds: rounds, seconds: seconds, peer: peer)
            for count in threads { out(table.row(["\(size)", "\(count)"], measured[count]!, session: session)) }
            bySize.append(measured)
        }
        Figure.afterTable(bySize, threads: threads, sizes: sizes, peer: "ONNX Runtime").forEach(out)
    }

    private func resNet20(_ session: BenchmarkSession, _ out: (String) -> Void) throws {
        let jax = try session.peerPython(option: python, modules: Peers.jaxModules, peer: "JAX", skip: skipPeers)
        out("\nresnet-20 (zoo, option B), training batch \(model.batch), \(model.size)×\(model.size), SGD momentum 0.9, batch norm in training mode"
            + " (JAX: the same step jitted, XLA on the CPU)")
        try trainingTable(session, peer: "JAX", jax.map { python in
            { count in try Peers.jaxResNet20Training(python, threads: count, batch: model.batch, size: model.size, seconds: seconds) }
        })
    }

    /// Times a training step of the model at each thread count beside `peer`'s windows for the
    /// same count (nil: the peer is skipped), one row per count, then the speed-ups.
    private func trainingTable(_ session: BenchmarkSession, peer name: String, _ peer: NetworkBenchmark.StartPeer?) throws {
        let table = ComparisonTable(leading: ["threads", "parameters"], peer: name, call: "step")
        session.out(table.header)
        let measured = try NetworkBenchmark.training(graph: model.graph(), optimizer: model.optimizer, batch: model.batch, size: model.size,
                                                     threads: threads, oneThreadCPUs: session.oneThreadCPUs(threads: threads), rounds: rounds,
                                                     seconds: seconds, peer: peer)
        for count in threads { session.out(table.row(["\(count)", "\(measured[count]!.ours.parameters)"], measured[count]!, session: session)) }
        Figure.afterTable([measured], threads: threads, peer: name).forEach(session.out)
    }
}

/// Both optionals, or nil.
func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

extension TrainBenchmark {
    /// The work of `--memory-probe`, run in a fresh process so its peak RSS is the step's own:
    /// three training steps with the most threads measured.
    public func memoryProbe() throws {
        try NetworkBenchmark.withThreads(probeThreads) {
            try NetworkBenchmark.trainSteps(graph: model.graph(), optimizer: model.optimizer(), batch: model.batch,
                                            size: model.memorySize, steps: 3)
        }
    }

    /// The thread count of the memory probe: the largest of `threads`.
    var probeThreads: Int { threads.max() ?? 1 }

    /// Runs `executable bench train --memory-probe --model M --threads N` and says its peak RSS
    /// (the child's own: `MachineInfo.peakResidentMegabytes`) and the thread count it used.
    public func memoryLine(executable: String) throws -> String {
        let output = try runCapturingOutput(executable, ["bench", "train", "--memory-probe", "--model", model.rawValue,
                                                         "--threads", "\(probeThreads)"])
        let megabytes = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return "peak RSS of training, batch \(model.batch) at \(model.memorySize)×\(model.memorySize), in a fresh process, "
            + "\(probeThreads) thread\(probeThreads == 1 ? "" : "s"): \(megabytes) MB"
    }
}
