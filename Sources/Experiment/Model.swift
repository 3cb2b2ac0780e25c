import Foundation
import NN

/// What a checkpoint records about its model, beside the weights.
struct ModelDescription: Codable, Hashable {
    var layers: [String]
    /// `floor` or `ceil` (NN's `Rounding`), applied to every pooling and strided layer.
    var rounding: String
    var classNames: [String]
    var trainResolution: Int
    /// Input normalisation per channel (R, G, B).
    var mean: [Float]
    var std: [Float]

    /// The layers as NN reads them: `dense classes` gets the class count, rounding applied.
    func spec() throws -> ModelSpec {
        let lines = layers.map { $0.replacingOccurrences(of: "classes", with: String(classNames.count)) }
        return try ModelSpec(parsing: lines).withRounding(Rounding(rawValue: rounding) ?? .floor)
    }
}

/// A network with what it was trained on, and its optimizer while it trains.
final class Model {
    let info: ModelDescription
    let network: Network
    /// How it was trained, saved with it; nil for a checkpoint that does not record it.
    var record: TrainingRecord?

    /// Builds the network with weights drawn from `seed`.
    init(info: ModelDescription, seed: Int) throws {
        self.info = info
        do {
            network = try Network(spec: info.spec(), inputChannels: 3, classes: info.classNames.count,
                                  trainingHeight: info.trainResolution, trainingWidth: info.trainResolution,
                                  seed: UInt64(bitPattern: Int64(seed)))
        } catch let error as NNError {
            throw ExperimentError.model(name: info.layers.joined(separator: ", "), reason: error.description)
        }
    }

    /// Nil when the model runs at `resolution`, else the architecture-math sentence saying why not.
    func cannotRunReason(at resolution: Int) -> String? {
        do {
            _ = try network.plan(height: resolution, width: resolution)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Forward FLOPs for one image at `resolution`, nil if it cannot run (NN's architecture math).
    func forwardFLOPs(at resolution: Int) -> Double? {
        (try? network.architecture(height: resolution, width: resolution)).map { Double($0.flops) }
    }

    /// Training FLOPs for one image (forward and backward) at the training resolution.
    var trainingFLOPs: Double {
        let size = info.trainResolution
        return (try? network.architecture(height: size, width: size)).map { Double($0.trainingFlops) } ?? 0
    }

    /// Logits (N, classes) for `count` inputs of (r, r, 3).
    func logits(_ inputs: [Float], count: Int, resolution: Int) throws -> [Float] {
        try network.predict(Tensor(shape: [count, resolution, resolution, 3], values: inputs)).values
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
        let info = ModelDescription(layers: layers, rounding: metadata.notes["rounding"] ?? "floor", classNames: metadata.classNames,
                             trainResolution: network.trainingHeight, mean: metadata.mean, std: metadata.std)
        let model = Model(info: info, network: network)
        model.record = try TrainingRecord(notes: metadata.notes, file: path)
        return model
    }
}
