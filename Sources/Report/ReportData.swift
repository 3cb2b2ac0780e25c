import Foundation
import NN
import Resample

/// Everything a report shows, as the experiment runner gathers it. `Codable`, so a run folder can
/// store it as JSON and `renderReport(_:)` can draw the page again later.
///
/// Accuracies are fractions (0.712 for 71.2%); resolutions are the side length in pixels of the
/// square images the network saw. Every string may come from the user (folder, file and
/// experiment names) and is escaped when rendered.
public struct ReportData: Codable, Sendable, Equatable {
    public var experiment: String
    /// The experiment file after defaults were applied, as text.
    public var configText: String
    /// (name, value) pairs: machine, OS, compiler, reslab commit, …
    public var environment: [Entry]
    public var timings: [Timing]
    public var data: DataSummary
    public var classNames: [String]
    /// True class index of each test image, in the order every `Metrics.predicted` uses. (images)
    public var testLabels: [Int]
    public var models: [ModelInfo]
    public var evaluations: [Evaluation]
    /// A few test images as the network saw them, per test resolution and method.
    public var examples: [ExampleImage]
    /// The test images' content above each test size's Nyquist limit (nil: not measured).
    public var nyquist: NyquistBudget? = nil
    /// Each test image's name (its path below the dataset), aligned with `testLabels`; nil when unknown.
    public var testNames: [String]? = nil
    /// Remedies applied to the trained models ("What to do"); empty when none ran.
    public var remedies: [RemedyEvaluation] = []
    /// Per trained model, its training loss and held-out figures after every epoch.
    public var trainingCurves: [TrainingCurve]

    public init(experiment: String, configText: String, environment: [Entry], timings: [Timing],
                data: DataSummary, classNames: [String], testLabels: [Int], models: [ModelInfo],
                evaluations: [Evaluation], examples: [ExampleImage], trainingCurves: [TrainingCurve] = []) {
        self.experiment = experiment
        self.configText = configText
        self.environment = environment
        self.timings = timings
        self.data = data
        self.classNames = classNames
        self.testLabels = testLabels
        self.models = models
        self.evaluations = evaluations
        self.examples = examples
        self.trainingCurves = trainingCurves
    }
}

/// A named value for the metadata tables.
public struct Entry: Codable, Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// Wall-clock time of one phase of the run (decode, train gpu-cnn seed 1, evaluate, …).
public struct Timing: Codable, Sendable, Equatable {
    public var phase: String
    public var seconds: Double
    public init(_ phase: String, seconds: Double) { self.phase = phase; self.seconds = seconds }
}

/// What the dataset held: images per class and split, and the files that were left out.
public struct DataSummary: Codable, Sendable, Equatable {
    /// The dataset's name or folder.
    public var source: String
    public var splits: [SplitCount]
    public var skipped: [SkippedFile]
    public init(source: String, splits: [SplitCount], skipped: [SkippedFile]) {
        self.source = source
        self.splits = splits
        self.skipped = skipped
    }
}

public struct SplitCount: Codable, Sendable, Equatable {
    /// "train", "test", …
    public var split: String
    /// Images per class, indexed like `ReportData.classNames`.
    public var perClass: [Int]
    public init(split: String, perClass: [Int]) { self.split = split; self.perClass = perClass }
}

public struct SkippedFile: Codable, Sendable, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
}

/// One architecture: its name, a one-line description, the resolutions it was trained at, and its
/// layer-by-layer arithmetic at every (training, test) resolution pair that was evaluated.
public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    /// E.g. "3 × (conv 3×3, max-pool 2), global average pool, dense 10".
    public var summary: String
    public var trainResolutions: [Int]
    public var architectures: [ArchitectureTable]
    /// What ties an imported model to the size it was exported at, one sentence each (ONNX's
    /// resolution pins); nil for a model reslab built.
    public var pins: [String]?
    public init(name: String, summary: String, trainResolutions: [Int], architectures: [ArchitectureTable]) {
        self.name = name
        self.summary = summary
        self.trainResolutions = trainResolutions
        self.architectures = architectures
    }
}

/// The network's shapes when trained at `trainResolution` and fed `testResolution` images (a
/// flatten + dense head is sized by the training resolution, so both matter).
public struct ArchitectureTable: Codable, Sendable, Equatable {
    public var trainResolution: Int
    public var testResolution: Int
    public var layers: [LayerRow]
    public init(trainResolution: Int, testResolution: Int, layers: [LayerRow]) {
        self.trainResolution = trainResolution
        self.testResolution = testResolution
        self.layers = layers
    }
}

/// One layer at one input resolution.
public struct LayerRow: Codable, Sendable, Equatable {
    /// "conv1 3×3/1", "pool2 max 2/2", "dense 10", …
    public var layer: String
    /// (height, width, channels) after a spatial layer, (features) after flatten or dense;
    /// empty when the layer cannot run.
    public var outputShape: [Int]
    /// Receptive field side in input pixels of one output position.
    public var receptiveField: Int
    /// Product of the strides up to and including this layer.
    public var totalStride: Int
    /// Input rows and columns this layer ignores because its output size is rounded down and
    /// that ceil would read (NN's `RoundingWhatIf.lostRows`: not the row a 1×1 stride-2 window
    /// skips under either rule).
    public var rowsLost: Int
    public var columnsLost: Int
    /// Multiply-adds × 2 for one image.
    public var flops: Double
    public var parameters: Int
    /// Why the network breaks at this layer (map below 1×1, dense input mismatch), else nil.
    public var breaks: String?
    /// For a downsampling layer: what floor and ceil rounding (or its fixed rule) make of its
    /// input here, the one it uses marked; empty for other layers and where the layer cannot run.
    public var rules: [RuleOutcome]
    public init(layer: String, outputShape: [Int], receptiveField: Int, totalStride: Int, rowsLost: Int = 0,
                columnsLost: Int = 0, flops: Double, parameters: Int, breaks: String? = nil, rules: [RuleOutcome] = []) {
        self.layer = layer
        self.outputShape = outputShape
        self.receptiveField = receptiveField
        self.totalStride = totalStride
        self.rowsLost = rowsLost
        self.columnsLost = columnsLost
        self.flops = flops
        self.parameters = parameters
        self.breaks = breaks
        self.rules = rules
    }
}

/// One output-size rule (NN's `SizeRule`) applied to one downsampling layer at one resolution.
public struct RuleOutcome: Codable, Sendable, Equatable {
    /// One axis: `input` → `output` positions; the rows (or columns) at the end no window reads
    /// (`dropped`) or the padded ones past the end a window reads (`padded`); at most one is > 0.
    public struct Axis: Codable, Sendable, Equatable {
        public var input: Int
        public var output: Int
        public var dropped: Int
        public var padded: Int
        public init(input: Int, output: Int, dropped: Int, padded: Int) {
            self.input = input
            self.output = output
            self.dropped = dropped
            self.padded = padded
        }
    }

    public var rule: SizeRule
    /// Whether the model uses this rule at this layer.
    public var used: Bool
    public var rows: Axis
    public var columns: Axis
    public init(rule: SizeRule, used: Bool, rows: Axis, columns: Axis) {
        self.rule = rule
        self.used = used
        self.rows = rows
        self.columns = columns
    }
}

/// One trained model (model, training resolution, seed) tested at one resolution with one resize
/// method.
public struct Evaluation: Codable, Sendable, Equatable {
    public var model: String
    public var trainResolution: Int
    public var seed: Int
    public var testResolution: Int
    public var method: Filter
    public var antialias: Bool
    public var outcome: Outcome
    /// The run it comes from in a report comparing runs (`reslab compare`), nil in a run's own.
    public var run: String? = nil
    public init(model: String, trainResolution: Int, seed: Int, testResolution: Int, method: Filter,
                antialias: Bool, outcome: Outcome) {
        self.model = model
        self.trainResolution = trainResolution
        self.seed = seed
        self.testResolution = testResolution
        self.method = method
        self.antialias = antialias
        self.outcome = outcome
    }
}

public enum Outcome: Codable, Sendable, Equatable {
    case measured(Metrics)
    /// The network cannot process this resolution; the reason is a sentence for the reader.
    case cannotRun(reason: String)
}

public struct Metrics: Codable, Sendable, Equatable {
    public var top1: Double
    public var top5: Double?
    /// Mean cross-entropy.
    public var loss: Double?
    /// Images evaluated.
    public var count: Int
    /// Predicted class per test image, aligned with `ReportData.testLabels`; the paired tests and
    /// confusion matrices need it (empty when not stored: those parts are then left out).
    public var predicted: [Int]
    /// Zhang (2019)'s shift consistency: the share of sampled test images whose top-1 agrees on
    /// two random crops (docs/statistics.md, "Stability"); nil when not measured.
    public var shiftConsistency: Double? = nil
    public init(top1: Double, top5: Double? = nil, loss: Double? = nil, count: Int, predicted: [Int]) {
        self.top1 = top1
        self.top5 = top5
        self.loss = loss
        self.count = count
        self.predicted = predicted
    }
}

/// One test image resized to `testResolution` with `method`, as PNG bytes.
public struct ExampleImage: Codable, Sendable, Equatable {
    /// Index into `ReportData.testLabels` (and every `Metrics.predicted`).
    public var imageIndex: Int
    /// The image's file name, for the caption.
    public var name: String
    public var testResolution: Int
    public var method: Filter
    public var antialias: Bool
    public var png: Data
    public init(imageIndex: Int, name: String, testResolution: Int, method: Filter, antialias: Bool, png: Data) {
        self.imageIndex = imageIndex
        self.name = name
        self.testResolution = testResolution
        self.method = method
        self.antialias = antialias
        self.png = png
    }
}
