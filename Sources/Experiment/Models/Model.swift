import Foundation
import NN

/// What a checkpoint records about its model, beside the weights.
struct ModelDescription: Codable, Hashable {
    /// The layers of a list model (empty for a graph model).
    var layers: [String]
    /// A graph model's nodes (nil for a list model); run folders and checkpoints record them.
    var graph: [GraphNodeRecord]? = nil
    /// `floor` or `ceil` (NN's `Rounding`), applied to every pooling and strided layer.
    var rounding: String
    var classNames: [String]
    var trainResolution: Int
    /// Input normalisation per channel (R, G, B, or one gray value).
    var mean: [Float]
    var std: [Float]
    /// The ONNX file of an imported model (then `layers` is empty and `graph` nil).
    var onnx: ONNXSource? = nil

    /// The channels of the model's input, one per normalisation value (`ColorMode.channels`).
    var channels: Int { mean.count }

    /// The layers as NN reads them: `dense classes` gets the class count, rounding applied.
    func spec() throws -> ModelSpec {
        try ModelSpec(experimentLines: layers, classes: classNames.count).withRounding(Rounding(rawValue: rounding) ?? .floor)
    }

    /// The complete classifier the network builds (`ModelSpec.classifier`, `GraphSpec.classifier`),
    /// as a graph, for plans that need no weights (the report's tables, explain); NN's refusals
    /// become model errors.
    func classifierGraph() throws -> GraphSpec {
        if let onnx { return try onnx.imported().graph }
        do {
            guard let graph else { return GraphSpec(chain: try spec().classifier(classes: classNames.count)) }
            return try GraphNodeRecord.graph(graph, classes: classNames.count)
                .withRounding(Rounding(rawValue: rounding) ?? .floor).classifier(classes: classNames.count)
        } catch let error as NNError {
            throw ExperimentError.model(name: summary, reason: error.description)
        } catch let error as GraphEntryError {
            throw ExperimentError.model(name: summary, reason: error.message)
        }
    }

    /// The model on one line (layers, or graph nodes "name: layer ← inputs").
    var summary: String {
        if let onnx { return "ONNX model \(onnx.path)" }
        return graph.map { $0.map { "\($0.name): \($0.layer) ← \($0.inputs.joined(separator: ", "))" }.joined(separator: "; ") }
            ?? layers.joined(separator: ", ")
    }
}

/// A network with what it was trained on, and its optimizer while it trains.
final class Model {
    let info: ModelDescription
    let network: Network
    /// For an imported model: its input made from the pipeline's, its outputs picked.
    private(set) var io: ImportedIO?
    /// How it was trained, saved with it; nil for a checkpoint that does not record it.
    var record: TrainingRecord?

    /// Builds the network with weights drawn from `seed`, or an imported model's with its weights.
    init(info: ModelDescription, seed: Int) throws {
        self.info = info
        do {
            if let onnx = info.onnx {
                let imported = try onnx.imported()
                network = try imported.network()
                io = ImportedIO(preprocessing: onnx.preprocessing, dataMean: info.mean, dataStd: info.std,
                                outputs: try onnx.outputSelection(outputs: imported.outputs, classNames: info.classNames))
            } else if info.graph != nil {
                network = try Network(graph: info.classifierGraph(), inputChannels: info.channels, classes: info.classNames.count,
                                      trainingHeight: info.trainResolution, trainingWidth: info.trainResolution,
                                      seed: UInt64(bitPattern: Int64(seed)))
            } else {
                network = try Network(spec: info.spec(), inputChannels: info.channels, classes: info.classNames.count,
                                      trainingHeight: info.trainResolution, trainingWidth: info.trainResolution,
                                      seed: UInt64(bitPattern: Int64(seed)))
            }
        } catch let error as NNError {
            throw ExperimentError.model(name: info.summary, reason: error.description)
        }
    }

    /// The model plan at `resolution` px, checked against the training size (NN's `ModelPlan`).
    func plan(at resolution: Int) throws -> ModelPlan {
        try network.modelPlan(height: resolution, width: resolution)
    }

    /// Nil when the model runs at `resolution`, else the plan's sentence saying why not.
    func cannotRunReason(at resolution: Int) -> String? {
        do { return try plan(at: resolution).failure?.sentence } catch { return "\(error)" }
    }

    /// Forward FLOPs for one image at `resolution`, nil if it cannot run.
    func forwardFLOPs(at resolution: Int) -> Double? {
        guard let plan = try? plan(at: resolution), plan.failure == nil else { return nil }
        return Double(plan.flops)
    }

    /// Training FLOPs for one image (forward and backward) at the training resolution.
    var trainingFLOPs: Double {
        (try? plan(at: info.trainResolution)).map { Double($0.trainingFlops) } ?? 0
    }

    /// Logits (N, classes) for `count` inputs of (r, r, C).
    func logits(_ inputs: [Float], count: Int, resolution: Int) throws -> [Float] {
        let fed = io?.input(inputs) ?? inputs
        let scores = try network.predict(Tensor(shape: [count, resolution, resolution, network.inputChannels], values: fed)).values
        return io?.classScores(scores, count: count) ?? scores
    }

    /// Saves NN's checkpoint, with the class names, normalisation and rounding.
    func save(to path: String) throws {
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        do { try network.save(to: path, metadata: checkpointMetadata) } catch {
            throw ExperimentError.io(path: path, reason: "\(error)")
        }
    }

    /// What NN's checkpoint records beside the weights: class names, normalisation, rounding,
    /// layers, and the training record when there is one.
    var checkpointMetadata: CheckpointMetadata {
        let notes = ["rounding": info.rounding, "layers": info.layers.joined(separator: "; ")]
        return CheckpointMetadata(classNames: info.classNames, mean: info.mean, std: info.std,
                                  notes: notes.merging(record?.notes ?? [:]) { own, _ in own })
    }

    init(info: ModelDescription, network: Network) {
        self.info = info
        self.network = network
    }

    /// Loads a checkpoint written by `save(to:)` (or any NN checkpoint).
    static func load(from path: String) throws -> Model {
        let (network, metadata): (Network, CheckpointMetadata)
        do { (network, metadata) = try Network.load(from: path) } catch {
            throw ExperimentError.model(name: path, reason: "\(error)")
        }
        let layers = metadata.notes["layers"].map { $0.components(separatedBy: "; ") }
            ?? network.spec.layers.map(\.description)
        var info = ModelDescription(layers: layers, rounding: metadata.notes["rounding"] ?? "floor", classNames: metadata.classNames,
                             trainResolution: network.trainingHeight, mean: metadata.mean, std: metadata.std)
        if !network.isChain {
            info.layers = []
            info.graph = network.graph.nodes.map { GraphNodeRecord(name: $0.name, layer: $0.layer.description, inputs: $0.inputs) }
        }
        let model = Model(info: info, network: network)
        model.record = try TrainingRecord(notes: metadata.notes, file: path)
        return model
    }
}
