import Datasets
import Foundation
import NN
import Yams

/// How a checkpoint's model was trained, stored in NN's checkpoint notes so that `reslab eval`
/// can report the real settings and name, and keep the training images out of its test.
///
/// Notes written (all text; a checkpoint without them, from an earlier reslab, still loads):
/// - `experiment`: the cell as a one-model experiment file (YAML, the schema of docs/experiments.md):
///   its dataset with the folder made absolute (split seed and test fraction included), the model,
///   the training settings at its one resolution, its seed, and the test crop when training used it;
/// - `train_files`: count and digest of the training file list (`FileListDigest`), for a folder.
struct TrainingRecord: Equatable {
    var experiment: ExperimentConfig
    var trainFiles: FileListDigest?

    var modelName: String { experiment.models[0].name }
    var seed: Int { experiment.seeds[0] }

    /// The record of `cell` of `config`, trained on files with digest `trainFiles`.
    init(cell: Cell, config: ExperimentConfig, trainFiles: FileListDigest?) {
        var dataset = config.dataset
        dataset.folder = dataset.folder.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var training = config.training
        training.resolutions = [cell.trainResolution]
        // Without random-resized-crop, training images go through the test crop (CellRunner).
        var evaluation = EvaluationConfig()
        if training.augmentation.randomResizedCrop == nil { evaluation.crop = config.evaluation.crop }
        evaluation.resolutions = .list([cell.trainResolution])
        experiment = ExperimentConfig(name: cell.model.name, dataset: dataset, models: [cell.model],
                                      training: training, evaluation: evaluation, seeds: [cell.seed])
        self.trainFiles = trainFiles
    }

    var notes: [String: String] {
        var notes = ["experiment": (try? YAMLEncoder().encode(experiment)) ?? ""]
        if let trainFiles { notes["train_files"] = trainFiles.description }
        return notes
    }

    /// The record in `notes`, nil when they hold none (a checkpoint from before reslab recorded
    /// one); throws, naming `file`, when a record is there but cannot be read.
    init?(notes: [String: String], file: String) throws {
        guard let text = notes["experiment"] else { return nil }
        let config: ExperimentConfig
        do {
            config = try decodeExperiment(yaml: text, file: file + " (its training record)", defaultName: "model",
                                          dataOverride: nil, checkFolder: false)
        } catch {
            throw ExperimentError.model(name: file, reason: "its training record cannot be read (\(error)); the file is damaged or from an incompatible reslab.")
        }
        guard config.models.count == 1, config.seeds.count == 1, config.training.resolutions.count == 1 else {
            throw ExperimentError.model(name: file, reason: "its training record names \(config.models.count) models and \(config.seeds.count) seeds instead of one each; the file is damaged.")
        }
        experiment = config
        trainFiles = notes["train_files"].flatMap(FileListDigest.init(parsing:))
    }
}
