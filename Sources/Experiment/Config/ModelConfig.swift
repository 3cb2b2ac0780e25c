import Foundation
import NN

/// One entry of `models:` — a zoo model by name, a layer list, or a graph.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Names the model in results and the report; defaults to the zoo name.
    public var name: String
    /// A model of the built-in zoo (`reslab run --help` and docs/experiments.md list them).
    public var zoo: String?
    /// Layers, one per entry, in NN's text form (`conv 3x3 32`, `relu`, `maxpool 2`, `bn`, `gap`,
    /// `blurpool 2`, `flatten`, `dense 10`). `dense classes` takes the class count; without a
    /// final dense layer one is added.
    public var layers: [String]?
    /// A graph: layers, `residual:` blocks and named nodes with `inputs:` (`GraphEntry`).
    public var graph: [GraphEntry]?
    /// How pooling and strided convolutions round an odd input size: `floor` drops the last
    /// partial window (30 → 15 → 7 loses a row), `ceil` keeps it as a padded window.
    public var rounding: Rounding = .floor
    /// A model imported from an ONNX file, tested as it is (never trained); its preprocessing
    /// fields (`mean`, `std`, `pixel_range`, `channel_order`, `layout`, `train_size`, `classes`)
    /// sit beside `onnx:` (ModelConfig+ONNX.swift).
    public var onnx: ONNXSource?

    /// False for an imported model: it is only tested, so it has no training, no checkpoint and
    /// no remedies, one cell at its own size (`ExperimentConfig.cells`), and no training work in
    /// `--dry-run` or the memory estimate.
    public var isTrained: Bool { onnx == nil }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, zoo, layers, graph, rounding
        case onnx, mean, std, pixelRange = "pixel_range", channelOrder = "channel_order", layout, trainSize = "train_size", classes
    }

    public init(name: String, zoo: String? = nil, layers: [String]? = nil, graph: [GraphEntry]? = nil, rounding: Rounding = .floor,
                onnx: ONNXSource? = nil) {
        self.name = name
        self.zoo = zoo
        self.layers = layers
        self.graph = graph
        self.rounding = rounding
        self.onnx = onnx
    }

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        zoo = f.optional(.zoo)
        layers = f.optional(.layers)
        graph = f.optional(.graph)
        let roundingText: String? = f.optional(.rounding)
        rounding = roundingText.flatMap(Rounding.init(rawValue:)) ?? .floor
        if let roundingText { f.check(Rounding(rawValue: roundingText) != nil, .rounding, "`\(roundingText)` is not one of floor, ceil.") }
        onnx = Self.decodeONNX(f)
        name = f.optional(.name) ?? zoo ?? onnx.map { URL(fileURLWithPath: $0.path).deletingPathExtension().lastPathComponent } ?? ""
        let given = [CodingKeys.zoo, .layers, .graph, .onnx].filter(f.contains)
        if given.count != 1 {
            f.problem("give one of `zoo:` (one of \(ModelZoo.names.joined(separator: ", "))), `layers:`, `graph:` or `onnx:`, not \(given.isEmpty ? "none" : given.map { "`\($0.stringValue):`" }.joined(separator: " and ")).")
        }
        if let zoo { f.check(ModelZoo.model(zoo) != nil, .zoo, "`\(zoo)` is not in the zoo; use one of \(ModelZoo.names.joined(separator: ", ")).") }
        f.check(!name.isEmpty, .name, "give the model a name.")
        if let layers {
            f.check(!layers.isEmpty, .layers, "list at least one layer.")
            for (index, line) in layers.enumerated() {
                do { _ = try LayerSpec(experimentLine: line) } catch {
                    f.problem(at: .layers, index, "\(error)")
                }
                if let conflict = roundingConflict(line, given: roundingText != nil) { f.problem(at: .layers, index, conflict) }
            }
        }
        if let graph {
            f.check(!graph.isEmpty, .graph, "list at least one layer.")
            let graphPath = f.path.map(pathComponent) + ["graph"]
            do {
                let (records, origins) = try GraphEntry.unroll(graph)
                for (record, origin) in zip(records, origins) {
                    if let conflict = roundingConflict(record.layer, given: roundingText != nil) {
                        f.log.entries.append(.init(path: graphPath + origin, message: conflict))
                    }
                }
                _ = try GraphNodeRecord.graph(records, classes: 2, origins: origins)
            } catch let error as GraphEntryError {
                f.log.entries.append(.init(path: graphPath + error.path, message: error.message))
            }
        }
    }

    /// The model's `rounding:` decides floor or ceil for every pooling and strided layer, so a
    /// layer whose text says the other rule would be silently overridden: the sentence that
    /// refuses it, or nil when the layer states no rule or the model's.
    private func roundingConflict(_ line: String, given: Bool) -> String? {
        guard let stated = LayerSpec.statedRounding(in: line), stated != rounding else { return nil }
        return "`\(line)` says \(stated.rawValue), but the model's rounding is \(rounding.rawValue)\(given ? "" : " (the default)"), "
            + "which applies to every pooling and strided layer; write `rounding: \(stated.rawValue)` on the model and leave it out of the layer."
    }

    /// The model, resolved from the zoo when needed.
    public var architecture: ModelArchitecture {
        if let graph { return .graph(graph) }
        return layers.map(ModelArchitecture.layers) ?? zoo.flatMap(ModelZoo.model) ?? .layers([])
    }

    /// The layer list of a list model (empty for a graph model).
    public var resolvedLayers: [String] {
        if case let .layers(layers) = architecture { return layers }
        return []
    }

    /// The model on one line: its layers, blocks written "residual [… | shortcut …]".
    public var summary: String {
        if let onnx { return "ONNX model \(onnx.path)" }
        switch architecture {
        case let .layers(layers): return layers.joined(separator: ", ")
        case let .graph(entries): return entries.map(\.summary).joined(separator: ", ")
        }
    }

    /// What a checkpoint of this model records, trained at `trainResolution` on `classNames`
    /// with per-channel `mean` and `std` (a graph unrolled into named nodes).
    func description(classNames: [String], trainResolution: Int, mean: [Float], std: [Float]) throws -> ModelDescription {
        var info = ModelDescription(layers: [], rounding: rounding.rawValue, classNames: classNames,
                                    trainResolution: trainResolution, mean: mean, std: std)
        if let onnx {
            info.onnx = onnx
            info.trainResolution = onnx.preprocessing.trainSize ?? trainResolution
            return info
        }
        switch architecture {
        case let .layers(layers): info.layers = layers
        case let .graph(entries):
            do { info.graph = try GraphEntry.unroll(entries).records } catch let error as GraphEntryError {
                throw ExperimentError.model(name: name, reason: "graph\(dottedPath(error.path)): \(error.message)")
            }
        }
        return info
    }
}
