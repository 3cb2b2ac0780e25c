import Foundation
import NN
import ONNX

/// `reslab bench onnx`: an ONNX model imported by reslab (`ONNX.ImportedModel`) and run by its
/// engine, beside ONNX Runtime running the same file with the same thread count, back to back in
/// the same invocation. By default the model is a generated graph with random weights
/// (`onnx_models.py`, written once to `BenchCache.folder`), ResNet-18 or MobileNetV2, at 224 px,
/// batch 32.
public struct ONNXBenchmark {
    /// The graphs `onnx_models.py` writes for this benchmark, shaped as torchvision's models.
    public enum GeneratedModel: String, CaseIterable, Sendable {
        /// Plain 3×3 convolutions, batch norm, residual adds (11.7 M parameters).
        case resnet18 = "resnet-18"
        /// 1×1 expansions and projections around depthwise 3×3 convolutions, ReLU6 as Clip,
        /// residual adds (3.5 M parameters).
        case mobilenetV2 = "mobilenet-v2"
    }

    /// A model file, or nil for the generated model `generated`.
    public var model: String?
    public var generated: GeneratedModel
    public var size: Int
    public var batch: Int
    public var threads: [Int]
    /// Rounds of timed windows (`NetworkBenchmark.interleavedWindows`) and seconds per window,
    /// for reslab and the peer alike.
    public var rounds: Int
    public var seconds: Double
    public var python: String?
    public var skipPeers: Bool

    public init(model: String?, generated: GeneratedModel, size: Int, batch: Int, threads: [Int], rounds: Int, seconds: Double,
                python: String?, skipPeers: Bool) {
        self.model = model
        self.generated = generated
        self.size = size
        self.batch = batch
        self.threads = threads
        self.rounds = rounds
        self.seconds = seconds
        self.python = python
        self.skipPeers = skipPeers
    }

    public func run(_ session: BenchmarkSession) throws {
        let out = session.out
        let ort = try session.peerPython(option: python, modules: Peers.onnxRuntimeModules, peer: "ONNX Runtime", skip: skipPeers)
        let file = try modelFile(python: ort)
        var options = ImportedModel.LoadOptions()
        options.referenceSize = size
        let loadStart = Date()
        let imported = try ImportedModel(contentsOf: file, options: options)
        let network = try imported.network()
        let plan = try network.modelPlan(height: size, width: size)
        out("model: \(file) " + String(format: "(opset %d, %d nodes in reslab's graph, %.2f M parameters, %.2f GFLOPs per image at %d px), imported in %.1f s",
                   imported.opset, imported.graph.nodes.count, Double(plan.parameters) / 1e6, Double(plan.flops) / 1e9, size,
                   Date().timeIntervalSince(loadStart)))
        session.placementLines(threads: threads).forEach(out)
        out(ComparisonTable.ratioNote)
        out("\ninference, batch \(batch), \(size)×\(size), random inputs (ONNX Runtime: the same file, same threads, all graph optimisations)")
        let table = ComparisonTable(leading: ["threads"], peer: "ORT", call: "batch")
        out(table.header)
        let peer: NetworkBenchmark.StartPeer? = ort.map { python in
            { count in try Peers.onnxRuntimeInference(python, model: file, threads: count, batch: batch, size: size, seconds: seconds) }
        }
        let measured = try NetworkBenchmark.inference(network: network, batch: batch, size: size, threads: threads,
                                                      oneThreadCPUs: session.oneThreadCPUs(threads: threads), rounds: rounds, seconds: seconds, peer: peer)
        for count in threads { out(table.row(["\(count)"], measured[count]!, session: session)) }
        Figure.afterTable([measured], threads: threads, peer: "ONNX Runtime").forEach(out)
        if let ort {
            let images = NetworkBenchmark.randomImages(batch: batch, size: size, channels: network.inputChannels)
            let ours = try network.predict(images).values
            let theirs = try Peers.onnxRuntimeLogits(ort, model: file, images: images)
            guard let agreement = LogitAgreement(reslab: ours, peer: theirs) else {
                throw BenchmarkError.badInput(file: file, reason: "reslab computes \(ours.count) logits for \(batch) images and ONNX Runtime "
                                              + "\(theirs.count); the model's output is not one row of class scores per image")
            }
            agreement.lines(peer: "ONNX Runtime", batch: batch).forEach(out)
        }
    }

    /// `model`, else the cached generated model (written with the peers' Python when missing).
    private func modelFile(python: PeerPython?) throws -> String {
        if let model { return model }
        let cached = BenchCache.folder.appendingPathComponent("\(generated.rawValue).onnx").path
        if FileManager.default.fileExists(atPath: cached) { return cached }
        guard let python else {
            throw BenchmarkError.badInput(file: cached, reason: """
                the \(generated.rawValue) model is not generated yet and no Python with onnx was found to write it; run \
                scripts/peers-venv.sh (or pass --python with onnx installed), or pass --model with an ONNX file
                """)
        }
        return try Peers.onnxModel(generated.rawValue, python: python)
    }
}
