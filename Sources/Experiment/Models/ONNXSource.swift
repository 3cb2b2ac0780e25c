import Foundation
import NN
import ONNX

/// A classifier imported from an ONNX file (`reslab eval --model X.onnx`, or `- onnx: X.onnx`
/// under an experiment's `models:`): the file, how its input is prepared, and which of its
/// outputs are which class. Paths are as given (relative ones to the working directory, as
/// `dataset.folder`).
public struct ONNXSource: Codable, Hashable, Sendable {
    public var path: String
    public var preprocessing = InputPreprocessing()
    /// A text file naming the model's outputs, one per line in output order; nil when the
    /// outputs are the data folder's classes in sorted order (torchvision's ImageFolder).
    public var classesFile: String?

    public init(path: String, preprocessing: InputPreprocessing = InputPreprocessing(), classesFile: String? = nil) {
        self.path = path
        self.preprocessing = preprocessing
        self.classesFile = classesFile
    }

    /// The imported model, traced at `preprocessing.trainSize` when the file leaves the size
    /// open. Throws `ExperimentError.model` with ONNX's sentence. Read and traced once per
    /// process for each file and options (`ImportCache`).
    func imported() throws -> ImportedModel {
        var options = ImportedModel.LoadOptions()
        options.layout = preprocessing.layout == .nhwc ? .nhwc : .nchw
        if let size = preprocessing.trainSize { options.referenceSize = size }
        do {
            return try ImportCache.shared.model(path: path, options: options)
        } catch let error as ONNXError {
            throw ExperimentError.model(name: path, reason: error.description)
        }
    }

    /// Whether `path` names an ONNX model (`.onnx`, any case): `eval` and `explain` import it.
    public static func isModelPath(_ path: String) -> Bool { path.lowercased().hasSuffix(".onnx") }

    /// Imports the model and fills in `preprocessing.trainSize` (`trainingSize(of:option:)`).
    mutating func importSettingTrainingSize(option: String) throws -> ImportedModel {
        let model = try imported()
        preprocessing.trainSize = try trainingSize(of: model, option: option)
        return model
    }

    /// `preprocessing.trainSize` when given, else the model's static square input size. Throws
    /// a sentence for a model whose input is no 3-channel image, an open size without a given
    /// training size, a non-square static size, or a given size that contradicts the static one.
    /// `option` names the setting in messages (`--train-size` or `train_size`).
    func trainingSize(of model: ImportedModel, option: String) throws -> Int {
        let input = model.input
        guard input.layout != .flat else {
            throw ExperimentError.model(name: path, reason: "its input \"\(input.name)\" is a (N, \(input.channels)) vector, not an image; reslab tests image classifiers.")
        }
        guard input.channels == 3 else {
            throw ExperimentError.model(name: path, reason: "its input \"\(input.name)\" has \(input.channels) channels; reslab feeds RGB images (3 channels)\(preprocessing.layout == .nchw ? ", or give --layout nhwc if the model takes (N, H, W, C)" : "").")
        }
        switch (input.height, input.width, preprocessing.trainSize) {
        case let (h?, w?, _) where h != w:
            throw ExperimentError.model(name: path, reason: "its input is fixed at \(h)×\(w); reslab tests square sizes, so re-export it with dynamic height and width (torch.onnx.export(…, dynamic_axes={\"\(input.name)\": {2: \"height\", 3: \"width\"}})).")
        case let (h?, _, given?) where given != h:
            throw ExperimentError.model(name: path, reason: "its input is fixed at \(h)×\(h) px but \(option) is \(given); leave \(option) out or give \(h).")
        case let (h?, _, _):
            return h
        case let (_, _, given?):
            return given
        default:
            throw ExperimentError.model(name: path, reason: "its input \"\(input.name)\" takes any height and width, so reslab cannot tell the size it was trained at; give it with \(option) N (e.g. 224).")
        }
    }

    /// The model's output names in order: the classes file's lines (blank lines and surrounding
    /// spaces dropped), nil without a file.
    func outputNames() throws -> [String]? {
        guard let classesFile else { return nil }
        guard let text = try? String(contentsOfFile: classesFile, encoding: .utf8) else {
            throw ExperimentError.model(name: path, reason: "its classes file \(classesFile) cannot be read as UTF-8 text.")
        }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let repeated = Dictionary(grouping: names, by: { $0 }).filter { $1.count > 1 }.keys.sorted()
        guard repeated.isEmpty else {
            throw ExperimentError.model(name: path, reason: "its classes file \(classesFile) names \(repeated.map { "\"\($0)\"" }.joined(separator: ", ")) more than once; give each output's class once, one per line.")
        }
        return names
    }

    /// Which model output scores each of `classNames` (the data's classes): nil when the outputs
    /// are the classes in the same order. Throws a sentence naming both counts and the fix when
    /// the model's `outputs` cannot be matched to them.
    func outputSelection(outputs: Int, classNames: [String]) throws -> [Int]? {
        guard let names = try outputNames() else {
            guard outputs == classNames.count else {
                throw ExperimentError.model(name: path, reason: "it has \(outputs) outputs but the data has \(classNames.count) classes (\(classList(classNames))); give a classes file naming the model's \(outputs) outputs in order, one per line (--classes FILE, or classes: FILE), with the data's class folders named alike.")
            }
            return nil
        }
        guard names.count == outputs else {
            throw ExperimentError.model(name: path, reason: "it has \(outputs) outputs but its classes file \(classesFile ?? "") names \(names.count); give one line per output, in output order.")
        }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        let missing = classNames.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw ExperimentError.model(name: path, reason: "the data's classes \(classList(missing)) are not in its classes file \(classesFile ?? ""); name each class folder as the model's output for it.")
        }
        let selection = classNames.map { index[$0]! }
        return selection == Array(0..<outputs) ? nil : selection
    }

    private func classList(_ names: [String]) -> String {
        names.count <= 12 ? names.joined(separator: ", ") : names.prefix(12).joined(separator: ", ") + ", …"
    }
}

/// Checks that every imported model of `config` scores the data's classes, before any cell runs.
func checkImportedModels(_ config: ExperimentConfig, classNames: [String]) throws {
    for case let onnx? in config.models.map(\.onnx) {
        _ = try onnx.outputSelection(outputs: onnx.imported().outputs, classNames: classNames)
    }
}

/// Imported models by file and load options. One `reslab run` or `eval` asks for the same model
/// from the experiment file's check, the plan, the memory estimate, the cell and each report
/// rebuild; each ask would read the whole file, decode every weight and trace the shapes again.
/// The key holds the file's size and modification date, so a file replaced while the process
/// runs is read again (external data files beside it are not watched).
private final class ImportCache: @unchecked Sendable {
    static let shared = ImportCache()

    private struct Key: Hashable {
        var path: String, layout: ImportedModel.Layout, referenceSize: Int
        var bytes: Int, modified: Date
    }

    private let lock = NSLock()
    private var models: [Key: ImportedModel] = [:]

    func model(path: String, options: ImportedModel.LoadOptions) throws -> ImportedModel {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let bytes = attributes?[.size] as? Int, let modified = attributes?[.modificationDate] as? Date else {
            return try ImportedModel(contentsOf: path, options: options)   // its error names the problem
        }
        let key = Key(path: URL(fileURLWithPath: path).standardizedFileURL.path, layout: options.layout,
                      referenceSize: options.referenceSize, bytes: bytes, modified: modified)
        lock.lock()
        defer { lock.unlock() }
        if let model = models[key] { return model }
        let model = try ImportedModel(contentsOf: path, options: options)
        models[key] = model
        return model
    }
}
