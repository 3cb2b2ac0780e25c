import Foundation
import Yams

/// One experiment file, decoded: what to train, on which data, and how to test it.
/// The schema is documented in docs/experiments.md; `parseExperiment` reads it.
public struct ExperimentConfig: Codable, Equatable, Sendable {
    /// Names the run folder `runs/<name>-<timestamp>/`; defaults to the file name without `.yaml`.
    public var name: String
    public var dataset: DatasetConfig
    public var models: [ModelConfig]
    public var training: TrainingConfig
    public var evaluation: EvaluationConfig
    /// One trained model per seed (repeats); each seed fixes weights, data order and augmentation.
    public var seeds: [Int]
    /// Remedies to run on every trained cell once it is done (docs/experiments.md, "Remedies").
    public var remedies: RemediesConfig?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, dataset, models, training, evaluation, seeds, remedies
    }

    public init(name: String, dataset: DatasetConfig, models: [ModelConfig], training: TrainingConfig = TrainingConfig(),
                evaluation: EvaluationConfig = EvaluationConfig(), seeds: [Int] = [0]) {
        self.name = name
        self.dataset = dataset
        self.models = models
        self.training = training
        self.evaluation = evaluation
        self.seeds = seeds
    }

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        name = f.optional(.name) ?? ""
        dataset = f.required(.dataset, "a dataset folder or `generated:`") ?? DatasetConfig()
        models = f.required(.models, "a list of models") ?? []
        training = f.optional(.training) ?? TrainingConfig()
        evaluation = f.optional(.evaluation) ?? EvaluationConfig()
        seeds = f.optional(.seeds) ?? [0]
        remedies = f.optional(.remedies)
        for (key, message) in remedies?.mismatches(evaluation) ?? [] {
            f.log.add(f.path + [AnyKey(stringValue: CodingKeys.remedies.stringValue), key], message)
        }
        for (index, model) in models.enumerated() where model.onnx != nil && dataset.color == .grayscale {
            f.problem(at: .models, index, "an imported (`onnx:`) model takes RGB images, but dataset.color is grayscale; test it on RGB data (leave `color` out), or export a model that takes one channel.")
        }
        f.check(!models.isEmpty || !f.contains(.models), .models, "list at least one model.")
        f.check(!seeds.isEmpty, .seeds, "list at least one seed.")
        let names = models.map(\.name)
        f.check(Set(names).count == names.count, .models,
                "model names must be distinct; rename one of \(names.joined(separator: ", ")).")
    }
}

/// Reads and checks an experiment file. `dataOverride` replaces `dataset.folder` (`--data`);
/// `overrides` (`--set`) are applied to the YAML tree before decoding. Every problem (syntax,
/// unknown key, wrong type, missing dataset folder) is reported together.
public func loadExperiment(path: String, dataOverride: String? = nil, overrides: [ConfigOverride] = []) throws -> ExperimentConfig {
    let text: String
    do {
        text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        let exists = FileManager.default.fileExists(atPath: path)
        throw ExperimentError.unreadableConfig(path: path, reason: exists ? "it is not readable UTF-8 text" : "there is no such file")
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return try parseExperiment(yaml: text, file: path, defaultName: name, dataOverride: dataOverride, overrides: overrides)
}

/// Decodes experiment YAML; `file` names it in messages.
public func parseExperiment(yaml: String, file: String, defaultName: String = "experiment",
                            dataOverride: String? = nil, overrides: [ConfigOverride] = []) throws -> ExperimentConfig {
    try decodeExperiment(yaml: yaml, file: file, defaultName: defaultName, dataOverride: dataOverride,
                         overrides: overrides, checkFolder: true)
}

/// `parseExperiment`; without `checkFolder`, a dataset folder that no longer exists is accepted
/// (a checkpoint's training record names the folder the model was trained on).
func decodeExperiment(yaml: String, file: String, defaultName: String, dataOverride: String?,
                      overrides: [ConfigOverride] = [], checkFolder: Bool) throws -> ExperimentConfig {
    var root: Node
    do {
        guard let parsed = try Yams.compose(yaml: yaml) else {
            throw ExperimentError.invalidConfig(file: file, problems: [ConfigProblem(
                file: file, line: nil, field: "", message: "the file is empty; see docs/experiments.md for the schema.")])
        }
        root = parsed
    } catch let error as YamlError {
        throw yamlSyntaxError(error, file: file)
    }
    for override in overrides { root = try override.apply(to: root) }
    let log = ProblemLog(root: root)
    var config: ExperimentConfig?
    do {
        config = try YAMLDecoder().decode(ExperimentConfig.self, from: root, userInfo: [ProblemLog.userInfoKey: log])
    } catch is AlreadyLogged {
        config = nil
    }
    if var config {
        if config.name.isEmpty { config.name = defaultName }
        if let dataOverride { config.dataset.folder = dataOverride; config.dataset.generated = nil }
        if checkFolder { checkDatasetFolder(config.dataset, overridden: dataOverride != nil, log: log) }
        checkLimits(config, log: log)
        if log.entries.isEmpty { return config }
    }
    throw ExperimentError.invalidConfig(file: file, problems: problems(from: log, file: file, overrides: overrides))
}

/// A missing dataset folder is reported with the other problems, at `dataset.folder` or `--data`.
private func checkDatasetFolder(_ dataset: DatasetConfig, overridden: Bool, log: ProblemLog) {
    guard let folder = dataset.folder else { return }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue { return }
    let message = "no folder at \(folder); point it at a class-per-folder dataset (one subfolder per class, or train/ and val/ splits of them)."
    if overridden {
        log.entries.append(.init(path: ["--data"], message: message, atKey: true))
    } else {
        log.entries.append(.init(path: ["dataset", "folder"], message: message))
    }
}

/// Turns logged entries into located problems, in file order (line, then column); a problem an
/// override caused names the override (the last one that covers it) instead of a line.
private func problems(from log: ProblemLog, file: String, overrides: [ConfigOverride]) -> [ConfigProblem] {
    let located = log.entries.map { entry -> (ConfigProblem, column: Int) in
        if entry.path == ["--data"] {
            return (ConfigProblem(file: "--data", line: nil, field: "", message: entry.message), 0)
        }
        if let override = overrides.last(where: { $0.covers(entry) }) {
            return (ConfigProblem(file: "--set " + override.text, line: nil, field: dottedPath(entry.path), message: entry.message), 0)
        }
        // A missing key has no node: point at the nearest enclosing one that exists.
        let found = (0...entry.path.count).reversed().lazy
            .compactMap { locate(Array(entry.path.prefix($0)), in: log.root) }.first
        let mark = entry.atKey ? (found?.1 ?? found?.0.mark) : (found?.0.mark ?? found?.1)
        return (ConfigProblem(file: file, line: mark?.line, field: dottedPath(entry.path), message: entry.message),
                mark?.column ?? 0)
    }
    return located.enumerated().sorted { a, b in
        (a.element.0.line ?? 0, a.element.column, a.offset) < (b.element.0.line ?? 0, b.element.column, b.offset)
    }.map(\.element.0)
}

private func yamlSyntaxError(_ error: YamlError, file: String) -> ExperimentError {
    switch error {
    case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
        let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        return .yamlSyntax(path: file, line: mark.line, message: detail)
    default:
        return .yamlSyntax(path: file, line: nil, message: "\(error)")
    }
}
