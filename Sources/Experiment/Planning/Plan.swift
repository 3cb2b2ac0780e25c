import Foundation
import Resample

/// One training cell: a model trained at one resolution with one seed. A cell's result is a pure
/// function of the configuration and its id, so cells can run in any order, in any process.
public struct Cell: Sendable, Equatable, Codable {
    /// Stable id: the cell's index in model-major, then train-resolution, then seed order.
    public var id: Int
    public var model: ModelConfig
    public var trainResolution: Int
    public var seed: Int

    /// `gap-cnn@32px seed 0`.
    public var label: String { "\(model.name)@\(trainResolution)px seed \(seed)" }
    /// `cell-0003`: the stem of the cell's files in the run folder.
    public var stem: String { Cell.stem(id) }

    public static func stem(_ id: Int) -> String { String(format: "cell-%04d", id) }

    public init(id: Int, model: ModelConfig, trainResolution: Int, seed: Int) {
        self.id = id
        self.model = model
        self.trainResolution = trainResolution
        self.seed = seed
    }

    // Result files store the model's name only; its layers are in config.resolved.yaml.
    enum CodingKeys: String, CodingKey { case id, model, trainResolution, seed }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        model = ModelConfig(name: try c.decode(String.self, forKey: .model))
        trainResolution = try c.decode(Int.self, forKey: .trainResolution)
        seed = try c.decode(Int.self, forKey: .seed)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(model.name, forKey: .model)
        try c.encode(trainResolution, forKey: .trainResolution)
        try c.encode(seed, forKey: .seed)
    }
}

/// One test condition of a trained model.
public struct EvaluationKey: Sendable, Hashable, Codable {
    public var resolution: Int
    public var method: Filter
    public var antialias: Bool

    /// The method and antialias setting as Resample applies them.
    public var resizeMethod: ResizeMethod { ResizeMethod(method, antialias: antialias) }

    /// `r16-bilinear` or `r16-nearest-noaa`, for file names.
    public var stem: String { "r\(resolution)-\(method.rawValue)" + (antialias ? "" : "-noaa") }
}

extension ExperimentConfig {
    /// The cells, in id order: model × train resolution × seed. An imported (`onnx:`) model is
    /// tested as it is: one cell, at its own training size, with the first seed.
    public var cells: [Cell] {
        var cells: [Cell] = []
        for model in models {
            let imported = model.onnx.map { $0.preprocessing.trainSize.map { [$0] } ?? Array(training.resolutions.prefix(1)) }
            for resolution in imported ?? training.resolutions {
                for seed in imported == nil ? seeds : Array(seeds.prefix(1)) {
                    cells.append(Cell(id: cells.count, model: model, trainResolution: resolution, seed: seed))
                }
            }
        }
        return cells
    }

    /// Every evaluation of a trained model: test resolution × method × antialias, in that order.
    public var evaluationKeys: [EvaluationKey] {
        evaluation.resolutions.values.flatMap { resolution in
            evaluation.methods.flatMap { method in
                evaluation.antialias.map { EvaluationKey(resolution: resolution, method: method, antialias: $0) }
            }
        }
    }
}

/// Parses `3,7-9` into sorted distinct ids.
public func parseCellList(_ text: String) throws -> [Int] {
    var ids = Set<Int>()
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        switch bounds.count {
        case 1: guard let id = bounds[0], id >= 0 else { throw ExperimentError.badCellList(text) }
            ids.insert(id)
        case 2: guard let low = bounds[0], let high = bounds[1], 0 <= low, low <= high else {
                throw ExperimentError.badCellList(text)
            }
            ids.formUnion(low...high)
        default: throw ExperimentError.badCellList(text)
        }
    }
    return ids.sorted()
}
