import NN
import Resample
import Yams

/// The largest sizes and counts an experiment file may ask for, checked once after decoding and
/// before any folder is made or any image is read (`checkLimits`). Each bound is far above what
/// a CNN experiment on one machine uses and far below what overflows an `Int` or exhausts memory
/// in a loop the user cannot interrupt; docs/experiments.md ("Limits") lists them.
public enum ConfigLimits {
    /// Side of any training or test resolution, in pixels (4096² = 16.8 MP per image).
    public static let resolution = 4096
    /// Images per training or evaluation batch.
    public static let batch = 65_536
    /// Training epochs.
    public static let epochs = 100_000
    /// Test resolutions after a range is expanded.
    public static let testResolutions = 1_000
    /// Cells (models × training resolutions × seeds).
    public static let cells = 10_000
    /// Filters of a convolution, units of a dense layer.
    public static let channels = 65_536
    /// Kernel side, stride, dilation and padding of a layer.
    public static let window = 1_024
    /// Smallest `crop_pct`: the shorter side is resized to size / crop_pct before cropping.
    public static let cropPct = smallestCropFraction
    /// Generated images per class and split.
    public static let generatedImages = 1_000_000
    /// Training images a remedy reads (`bn_recal.images`, `fixres.images`); ImageNet has 1.3 million.
    public static let remedyImages = 100_000_000
    /// Characters of an experiment name (it becomes a folder name with a 16-character timestamp).
    public static let nameLength = 200
}

/// Logs every value of `config` outside `ConfigLimits`, every non-finite number and every name
/// that cannot be a folder name, at its field (so the message carries the file's line).
func checkLimits(_ config: ExperimentConfig, log: ProblemLog) {
    func problem(_ path: [String], _ message: String) {
        log.entries.append(.init(path: path, message: message))
    }
    // The decoders check every lower bound already (`must be at least 1`): only the upper is logged here.
    func bound(_ value: Int, _ range: ClosedRange<Int>, _ path: [String], _ what: String) {
        if value > range.upperBound {
            problem(path, "\(value) is outside \(range.lowerBound)...\(range.upperBound) \(what).")
        }
    }
    // NaN fails the decoders' range comparisons already; infinity passes `> 0` and is caught here.
    func finite(_ value: Double, _ path: [String]) {
        if value.isInfinite { problem(path, "must be a finite number, not \(value).") }
    }

    if let reason = folderNameProblem(config.name) { problem(["name"], reason) }

    let training = config.training
    bound(training.epochs, 1...ConfigLimits.epochs, ["training", "epochs"], "epochs")
    bound(training.batch, 1...ConfigLimits.batch, ["training", "batch"], "images per batch")
    for (index, size) in training.resolutions.enumerated() {
        bound(size, 1...ConfigLimits.resolution, ["training", "resolutions", "[\(index)]"], "pixels")
    }
    finite(training.optimizer.lr, ["training", "optimizer", "lr"])
    finite(training.optimizer.weightDecay, ["training", "optimizer", "weight_decay"])
    finite(training.schedule.warmupEpochs, ["training", "schedule", "warmup_epochs"])
    if training.schedule.warmupEpochs.isFinite && training.schedule.warmupEpochs > Double(ConfigLimits.epochs) {
        problem(["training", "schedule", "warmup_epochs"], "must be at most \(ConfigLimits.epochs) epochs.")
    }
    finite(training.schedule.gamma, ["training", "schedule", "gamma"])
    bound(training.schedule.everyEpochs, 1...ConfigLimits.epochs, ["training", "schedule", "every_epochs"], "epochs")
    if let pad = training.augmentation.randomCrop {
        bound(pad, 0...ConfigLimits.window, ["training", "augmentation", "random_crop"], "pixels of padding")
    }
    if let multi = training.multiResolution {
        checkResolutionList(multi.sizes, ["training", "multi_resolution", "sizes"], problem: problem)
    }
    if let scale = training.augmentation.randomResizedCrop, scale.count == 2, scale[0] < 0.01 {
        problem(["training", "augmentation", "random_resized_crop"],
                "the smallest area share must be at least 0.01 (a crop of 1% of the image), not \(scale[0]).")
    }

    let evaluation = config.evaluation
    bound(evaluation.batch, 1...ConfigLimits.batch, ["evaluation", "batch"], "images per batch")
    if case let .center(pct) = evaluation.crop, pct.isFinite, pct < ConfigLimits.cropPct {
        problem(["evaluation", "crop", "crop_pct"],
                "must be at least \(ConfigLimits.cropPct): the shorter side is resized to size / crop_pct before the crop.")
    }
    checkResolutionList(evaluation.resolutions, ["evaluation", "resolutions"], problem: problem)
    if let remedies = config.remedies {
        let recal = ["remedies", "bn_recal"], fixres = ["remedies", "fixres"]
        bound(remedies.bnRecal.images, 2...ConfigLimits.remedyImages, recal + ["images"], "images")
        bound(remedies.bnRecal.batch, 2...ConfigLimits.batch, recal + ["batch"], "images per batch")
        bound(remedies.fixres.epochs, 1...ConfigLimits.epochs, fixres + ["epochs"], "epochs")
        finite(remedies.fixres.lr, fixres + ["lr"])
        bound(remedies.fixres.batch, 2...ConfigLimits.batch, fixres + ["batch"], "images per batch")
        bound(remedies.fixres.images, 0...ConfigLimits.remedyImages, fixres + ["images"], "images")
        if let multi = remedies.multires {
            checkResolutionList(multi.sizes, ["remedies", "multires", "sizes"], problem: problem)
        }
    }

    let cellCount = config.models.count.multipliedReportingOverflow(by: training.resolutions.count)
    let cells = cellCount.partialValue.multipliedReportingOverflow(by: config.seeds.count)
    if cellCount.overflow || cells.overflow || cells.partialValue > ConfigLimits.cells {
        problem(["seeds"], "models × training resolutions × seeds is more than \(ConfigLimits.cells) cells; split the sweep into several experiments.")
    }
    for (index, model) in config.models.enumerated() {
        for (line, text) in model.resolvedLayers.enumerated() {
            guard let layer = try? LayerSpec(experimentLine: text),
                  let reason = layerSizeProblem(layer) else { continue }
            let path = model.layers == nil ? ["models", "[\(index)]", "zoo"] : ["models", "[\(index)]", "layers", "[\(line)]"]
            problem(path, "`\(text)`: \(reason)")
        }
    }
    if let generated = config.dataset.generated {
        bound(generated.size, 8...ConfigLimits.resolution, ["dataset", "generated", "size"], "pixels")
        bound(generated.trainPerClass, 1...ConfigLimits.generatedImages, ["dataset", "generated", "train_per_class"], "images")
        bound(generated.testPerClass, 1...ConfigLimits.generatedImages, ["dataset", "generated", "test_per_class"], "images")
        finite(generated.period, ["dataset", "generated", "period"])
    }
    if case let .fixed(mean, std) = config.dataset.normalization {
        for (index, value) in (mean + std).enumerated() where !value.isFinite {
            let (key, position) = index < mean.count ? ("mean", index) : ("std", index - mean.count)
            problem(["dataset", "normalization", key, "[\(position)]"], "must be a finite number, not \(value).")
        }
    }
}

/// A list of sizes at `path` (test resolutions, multi-resolution training sizes): each within
/// the pixel bound, and a range expanding to at most `ConfigLimits.testResolutions` sizes
/// (counted without expanding it, so `to: 2⁶³−1` is refused at once).
private func checkResolutionList(_ list: ResolutionList, _ path: [String], problem: ([String], String) -> Void) {
    switch list {
    case let .list(values):
        for (index, size) in values.enumerated() where !(1...ConfigLimits.resolution).contains(size) {
            problem(path + ["[\(index)]"], "\(size) is outside 1...\(ConfigLimits.resolution) pixels.")
        }
        if values.count > ConfigLimits.testResolutions {
            problem(path, "lists \(values.count) sizes; at most \(ConfigLimits.testResolutions) are allowed.")
        }
    case let .range(from, to, step):
        guard step >= 1, from >= 1, from <= to else { return }  // already logged by the decoder
        if to > ConfigLimits.resolution {
            problem(path + ["to"], "\(to) is above the largest resolution, \(ConfigLimits.resolution) pixels.")
        } else if (to - from) / step + 1 > ConfigLimits.testResolutions {
            problem(path + ["step"], "the range holds more than \(ConfigLimits.testResolutions) sizes; use a larger step.")
        }
    }
}

/// Why a layer's sizes are out of bounds, or nil. Layers without sizes (activations, joins)
/// have nothing to bound.
private func layerSizeProblem(_ layer: LayerSpec) -> String? {
    let window = 1...ConfigLimits.window
    func paddingTooLarge(_ padding: Padding) -> Bool {
        switch padding {
        case .valid, .same: return false
        case let .explicit(p): return p > ConfigLimits.window
        case let .asymmetric(top, left, bottom, right): return [top, left, bottom, right].contains { $0 > ConfigLimits.window }
        }
    }
    switch layer {
    case let .conv(spec):
        if !(1...ConfigLimits.channels).contains(spec.filters) { return "at most \(ConfigLimits.channels) filters." }
        for value in [spec.kernelHeight, spec.kernelWidth, spec.stride, spec.dilation] where !window.contains(value) {
            return "kernel, stride and dilation must lie in 1...\(ConfigLimits.window)."
        }
        if paddingTooLarge(spec.padding) { return "padding must be at most \(ConfigLimits.window)." }
    case let .maxPool(spec), let .avgPool(spec):
        if !window.contains(spec.kernel) || !window.contains(spec.stride) { return "window and stride must lie in 1...\(ConfigLimits.window)." }
        if paddingTooLarge(spec.padding) { return "padding must be at most \(ConfigLimits.window)." }
    case let .blurPool(stride, _):
        if !window.contains(stride) { return "the stride must lie in 1...\(ConfigLimits.window)." }
    case let .dense(units):
        if !(1...ConfigLimits.channels).contains(units) { return "at most \(ConfigLimits.channels) units." }
    case let .bias(height, width):
        if !(1...ConfigLimits.resolution).contains(height) || !(1...ConfigLimits.resolution).contains(width) {
            return "the bias map must be at most \(ConfigLimits.resolution) pixels on a side."
        }
    default:
        break
    }
    return nil
}

/// Why `name` cannot name a run folder (`runs/<name>-<time>`), or nil: it must be one file-name
/// component, so that the run stays inside the runs folder.
func folderNameProblem(_ name: String) -> String? {
    if name.isEmpty { return "the experiment name must not be empty." }
    if name.contains("/") || name == "." || name == ".." || name.hasPrefix(".") {
        return "`\(name)` is not a plain folder name; the run folder is runs/<name>-<time>, so use letters, digits, - and _ (no /, no leading dot)."
    }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        return "the experiment name must not contain control characters such as a newline."
    }
    if name.count > ConfigLimits.nameLength {
        return "the experiment name has \(name.count) characters; use at most \(ConfigLimits.nameLength)."
    }
    return nil
}

/// Checks a configuration built from command-line options (`reslab train`, `reslab eval`), naming
/// each problem by its option: `options` maps field prefixes (`evaluation.resolutions`) to
/// option names (`--resolutions`).
public func checkLimits(_ config: ExperimentConfig, command: String, options: [String: String]) throws {
    let log = ProblemLog(root: Node(""))
    checkLimits(config, log: log)
    guard !log.entries.isEmpty else { return }
    let problems = log.entries.map { entry -> ConfigProblem in
        let field = dottedPath(entry.path)
        let option = options.first { field.hasPrefix($0.key) }?.value
        return ConfigProblem(file: command, line: nil, field: option ?? field, message: entry.message)
    }
    throw ExperimentError.invalidConfig(file: command, problems: problems)
}
