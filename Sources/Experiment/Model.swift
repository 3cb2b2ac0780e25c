import Foundation
import NN

/// What a checkpoint records about its model, beside the weights.
struct ModelInfo: Codable, Equatable {
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
    let info: ModelInfo
    let network: Network

    /// Builds the network with weights drawn from `seed`.
    init(info: ModelInfo, seed: Int) throws {
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

    /// Forward FLOPs for one image at `resolution` (2 per multiply-add; nil if it cannot run):
    /// convolutions 2·kh·kw·C·F·H'·W', dense 2·K·U, other layers one per output value.
    func forwardFLOPs(at resolution: Int) -> Double? {
        guard let plans = try? network.plan(height: resolution, width: resolution) else { return nil }
        return plans.reduce(0.0) { total, plan in
            switch plan.spec {
            case let .conv(spec):
                return total + 2 * Double(spec.kernelHeight * spec.kernelWidth * plan.input.channels) * Double(plan.output.count)
            case let .dense(units):
                return total + 2 * Double(plan.input.count * units)
            default:
                return total + Double(plan.output.count)
            }
        }
    }

    /// Logits (N, classes) for `count` inputs of (r, r, 3).
    func logits(_ inputs: [Float], count: Int, resolution: Int) throws -> [Float] {
        try network.predict(Tensor(shape: [count, resolution, resolution, 3], values: inputs)).values
    }

    /// Saves the checkpoint: a little-endian UInt32 header length, the JSON `ModelInfo`, then
    /// every parameter as float32.
    func save(to path: String) throws {
        let header = try JSONEncoder().encode(info)
        var data = Data()
        withUnsafeBytes(of: UInt32(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(header)
        network.parameterValues.withUnsafeBytes { data.append(contentsOf: $0) }
        try writeAtomically(data, to: path)
    }

    /// Loads a checkpoint written by `save(to:)`.
    static func load(from path: String) throws -> Model {
        guard let data = FileManager.default.contents(atPath: path), data.count > 4 else {
            throw ExperimentError.io(path: path, reason: "there is no checkpoint file there")
        }
        let length = Int(UInt32(littleEndian: data.prefix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        guard data.count >= 4 + length, let info = try? JSONDecoder().decode(ModelInfo.self, from: data.subdata(in: 4..<(4 + length))) else {
            throw ExperimentError.io(path: path, reason: "it is not a reslab checkpoint (its header does not read)")
        }
        let model = try Model(info: info, seed: 0)
        let values = data.subdata(in: (4 + length)..<data.count).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        guard values.count == model.network.parameterValues.count else {
            throw ExperimentError.io(path: path, reason: "it holds \(values.count) parameters but its model has \(model.network.parameterValues.count); the file is truncated or from another version")
        }
        model.network.parameterValues = values
        return model
    }
}
