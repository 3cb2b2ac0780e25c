import Foundation

/// `reslab eval --model X.onnx`: tests an imported classifier as `evaluateCheckpoint` tests a
/// checkpoint, into the same run folder, results.csv and report. Its classes are the data
/// folder's (sorted, as torchvision's ImageFolder) or, with `options.classesFile`, the file's
/// names for its outputs; the images are normalised as `options.preprocessing` says, so the
/// engine gets exactly the tensor the model was exported to take.
func evaluateImported(_ options: EvalOptions, control: RunControl, progress: @escaping (ProgressEvent) -> Void) throws -> EvalSummary {
    guard FileManager.default.fileExists(atPath: options.checkpoint) else {
        throw ExperimentError.model(name: options.checkpoint, reason: "there is no such file; give the path of an .onnx model.")
    }
    var source = ONNXSource(path: URL(fileURLWithPath: options.checkpoint).standardizedFileURL.path,
                            preprocessing: options.preprocessing,
                            classesFile: options.classesFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
    _ = try source.importSettingTrainingSize(option: "--train-size")
    let (folder, selection) = try selectEvaluationImages(options.data, classNames: nil, record: nil, split: options.split)
    let (mean, std) = source.preprocessing.rgbNormalization
    let name = URL(fileURLWithPath: options.checkpoint).deletingPathExtension().lastPathComponent
    let modelConfig = ModelConfig(name: name, onnx: source)
    let info = try modelConfig.description(classNames: folder.classNames, trainResolution: 0, mean: mean, std: std)
    let model = try Model(info: info, seed: 0)

    var dataset = DatasetConfig()
    dataset.folder = options.data
    dataset.normalization = .fixed(mean: mean.map(Double.init), std: std.map(Double.init))
    var training = TrainingConfig()
    training.resolutions = [info.trainResolution]
    let config = ExperimentConfig(name: "eval-" + name, dataset: dataset, models: [modelConfig],
                                  training: training, evaluation: options.evaluation, seeds: [0])
    return try runEvaluation(config, model: model, folder: folder, selection: selection, options: options,
                             control: control, progress: progress)
}
