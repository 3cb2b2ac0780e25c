import Foundation
import NN
import Report

/// What `reslab explain` describes: a model from the zoo, a layer list, an experiment file or a
/// checkpoint, at several input sizes, with no data and no training.
public struct ExplainOptions: Sendable {
    /// A zoo name, a comma-separated layer list, an experiment file (.yaml/.yml) or a checkpoint.
    public var model: String
    /// Square input sizes in pixels, each ≥ 1.
    public var resolutions: [Int]
    /// The size the parameters are built at; default: the checkpoint's or experiment's, else 32.
    public var trainResolution: Int?
    /// Classes of the classifier; default: the checkpoint's, else 10.
    public var classes: Int?
    /// Input channels; default: the checkpoint's, the experiment's `dataset.color`, else 3.
    public var channels: Int?

    public init(model: String, resolutions: [Int]) {
        self.model = model
        self.resolutions = resolutions
    }
}

/// One model placed at every asked size: the plans (NN's `ModelPlan`, checked against the
/// training size) and the architecture tables the report draws from them.
public struct ModelExplanation: Sendable {
    public var name: String
    /// Where the training size and class count came from when they were not given ("assumed").
    public var assumptions: [String]
    public var classes: Int
    public var trained: ModelPlan
    /// One plan and one table per asked size, in the order asked.
    public var plans: [ModelPlan]
    public var tables: [ArchitectureTable]
    /// What ties an imported (ONNX) model to the size it was exported at, one sentence each.
    public var pins: [String] = []

    /// The asked sizes where the model runs and no node's rounding rule loses anything the other
    /// rule would keep (NN's `RoundingWhatIf.usedRuleLoses`: floor leaves input rows or columns
    /// unread that ceil's extra window would read, or ceil adds a padded window). A 1×1 stride-2
    /// shortcut at an even size reads every other row by design under either rule: no loss.
    public var sizesWithoutRoundingLoss: [Int] {
        plans.filter { plan in plan.failure == nil && !plan.nodes.contains { $0.rounding?.usedRuleLoses == true } }
            .map(\.input.height)
    }
}

/// Places each model `options.model` names at every size of `options.resolutions` (one model,
/// or every model of an experiment file). Reads no images and builds no network.
public func explainModel(_ options: ExplainOptions) throws -> [ModelExplanation] {
    try resolveExplained(options).map { name, info, assumed in
        let graph = try info.classifierGraph()
        let shape = { (size: Int) in FeatureShape(height: size, width: size, channels: info.channels) }
        let trained = ModelPlan(graph: graph, input: shape(info.trainResolution))
        let plans = options.resolutions.map { ModelPlan(graph: graph, input: shape($0), trainingInput: shape(info.trainResolution)) }
        return ModelExplanation(name: name, assumptions: assumed, classes: info.classNames.count, trained: trained, plans: plans,
                                tables: plans.map { ArchitectureTable(tested: $0, trained: trained) },
                                pins: try info.onnx?.imported().pins.map(\.sentence) ?? [])
    }
}

/// The models `options.model` names, each with its description and what was assumed about it.
private func resolveExplained(_ options: ExplainOptions) throws -> [(String, ModelDescription, [String])] {
    var assumed: [String] = []
    var classes = 10
    if let given = options.classes { classes = given } else { assumed.append("10 classes (--classes)") }
    func describe(_ config: ModelConfig, trainResolution: Int?, channels: Int = 3) throws -> ModelDescription {
        var size = 32
        if let given = options.trainResolution ?? trainResolution { size = given } else { assumed.append("trained at 32 px (--train-resolution)") }
        let neutral = neutralNormalization(channels: options.channels ?? channels)
        return try config.description(classNames: (0..<classes).map { "class \($0)" }, trainResolution: size,
                                      mean: neutral.mean, std: neutral.std)
    }
    let text = options.model
    if ModelZoo.model(text) != nil {
        let info = try describe(ModelConfig(name: text, zoo: text), trainResolution: nil)
        return [(text, info, assumed)]
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), !isDirectory.boolValue {
        if ONNXSource.isModelPath(text) {
            var source = ONNXSource(path: text)
            source.preprocessing.trainSize = options.trainResolution
            let imported = try source.importSettingTrainingSize(option: "--train-resolution")
            let names = (0..<imported.outputs).map { "class \($0)" }
            let neutral = neutralNormalization(channels: imported.input.channels)
            let info = try ModelConfig(name: text, onnx: source).description(
                classNames: names, trainResolution: 0, mean: neutral.mean, std: neutral.std)
            return [(URL(fileURLWithPath: text).deletingPathExtension().lastPathComponent, info, [])]
        }
        if [".yaml", ".yml"].contains(where: text.lowercased().hasSuffix) {
            guard let yaml = try? String(contentsOfFile: text, encoding: .utf8) else {
                throw ExperimentError.unreadableConfig(path: text, reason: "it is not UTF-8 text")
            }
            // Explain reads no images: the dataset need not be present ("." stands in for it).
            let config = try parseExperiment(yaml: yaml, file: text, dataOverride: ".")
            return try config.models.map { model in
                assumed = options.classes == nil ? ["10 classes (--classes)"] : []
                return (model.name, try describe(model, trainResolution: config.training.resolutions.first,
                                                 channels: config.dataset.color.channels), assumed)
            }
        }
        var info = try Model.load(from: text).info
        if let channels = options.channels, channels != info.channels {
            throw ExperimentError.model(name: text, reason: "its weights take \(info.channels)-channel images, not \(channels); leave out --channels (a checkpoint's input is fixed by its first layer's weights).")
        }
        if let size = options.trainResolution { info.trainResolution = size }
        if let classes = options.classes { info.classNames = (0..<classes).map { "class \($0)" } }
        return [(URL(fileURLWithPath: text).deletingPathExtension().lastPathComponent, info, [])]
    }
    let layers = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")).split(separator: ",")
        .map { $0.trimmingCharacters(in: .whitespaces) }
    do {
        _ = try ModelSpec(experimentLines: layers)
    } catch {
        let reason = text.contains(",") || text.contains(" ")
            ? "\(error)"
            : "it is no zoo model (\(ModelZoo.names.joined(separator: ", "))), no file, and no layer list such as \"conv 3x3 16, relu, maxpool 2, gap\""
        throw ExperimentError.model(name: text, reason: reason + (reason.hasSuffix(".") ? "" : "."))
    }
    return [("layers", try describe(ModelConfig(name: "layers", layers: layers), trainResolution: nil), assumed)]
}
