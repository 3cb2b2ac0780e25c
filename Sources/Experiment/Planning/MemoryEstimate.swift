import Datasets
import Foundation
import NN

/// The memory a run needs whatever its image cache holds, estimated from NN's model plan
/// before anything is allocated, and compared with the run's memory limit (`--memory-gib`).
///
/// Per model and size r (B = training batch, E = evaluation batch, P = parameters):
///
///     training   B · K(r) + 16 · P      K(r) = the bytes of every tensor a node with weights
///                                       (conv, dense) reads, each tensor once however many such
///                                       nodes read it: the backward pass needs them (dW = Xᵀ·dY
///                                       needs X), whatever the executor frees or shares; weights,
///                                       gradients and two optimizer moments are 4 bytes each; at every training
///                                       and multi-resolution size, and for the remedies that run
///                                       training passes (multires; FixRes and BN recalibration
///                                       with their own batch at remedies.at; blurpool, whose
///                                       BlurPool variant is a different network, at the training
///                                       and multi-resolution sizes, and tested at remedies.at)
///     evaluation E · M(r)               M(r) = the largest layer output of one image (a lower
///                                       bound: any forward pass holds one layer's output)
///     generated  images · size² bytes   the built-in dataset is made in memory (grayscale)
///
/// These are lower bounds of what the engine holds, so a refusal is certain to be right; a run
/// that passes may still use somewhat more (workspace, the image cache up to the limit). Every
/// figure is read from the model plan of the complete classifier (`ModelPlan`), for layer lists
/// and graphs alike.
public struct MemoryEstimate: Sendable {
    /// Largest bytes needed, with a sentence naming what needs them and which field to change.
    public var bytes: Int
    public var what: String
    public var fix: String

    /// What a command will run of a configuration.
    public enum Scope: Sendable {
        /// `reslab run`: training, testing and the `remedies:` section.
        case run
        /// `reslab eval`: testing at every test size, no training.
        case testing
        /// `reslab remedy`: the remedies' passes and their tests at `remedies.at`.
        case remedies
    }

    /// The largest need of `config` for what `scope` runs (0 when nothing can be estimated).
    public static func largest(_ config: ExperimentConfig, scope: Scope = .run) throws -> MemoryEstimate {
        var largest = MemoryEstimate(bytes: 0, what: "", fix: "")
        func consider(_ bytes: Double, _ what: String, _ fix: String) {
            let clamped = bytes >= Double(Int.max / 2) ? Int.max / 2 : Int(bytes)
            if clamped > largest.bytes { largest = MemoryEstimate(bytes: clamped, what: what, fix: fix) }
        }
        if let generated = config.dataset.generated {
            let images = Double(generated.trainPerClass + generated.testPerClass) * Double(GeneratedStripes.classNames.count)
            consider(images * Double(generated.size * generated.size), "the generated dataset (\(Int(images)) images of \(generated.size) px)",
                     "lower dataset.generated.train_per_class, test_per_class or size.")
        }
        let testSizes = scope == .remedies ? config.remedies?.at ?? [] : config.evaluation.resolutions.values
        let passes = scope == .testing ? [] : trainingPasses(config, remediesOnly: scope == .remedies)
        /// Considers `model`'s training `passes` and its testing at `testSizes` ("\(testing) name").
        func estimate(_ model: ModelConfig, _ passes: [TrainingPass], testSizes: [Int], testing: String) throws {
            // Ten placeholder classes: the dataset's are not known before it is scanned.
            guard let graph = try? model.description(classNames: Array(repeating: "", count: 10), trainResolution: 1, mean: [], std: [])
                .classifierGraph() else { return }
            for r in Set(passes.map(\.size) + testSizes) {
                guard multiplyAddBound(graph, resolution: r) < 1e18 else {
                    throw ExperimentError.model(name: model.name, reason: "at \(r) px its layers would need more than 10¹⁸ multiply-adds per image; use fewer filters or smaller sizes.")
                }
                let plan = ModelPlan(graph: graph, input: FeatureShape(height: r, width: r, channels: config.dataset.color.channels))
                guard plan.failure == nil else { continue }
                for pass in passes where pass.size == r {
                    consider(Double(pass.batch) * keptBytes(plan) + 16 * Double(plan.parameters),
                             "\(pass.what) \(model.name) at \(r) px with batch \(pass.batch)", pass.fix)
                }
                if testSizes.contains(r) {
                    let widest = plan.nodes.map(\.activationBytes).max() ?? 0
                    consider(Double(config.evaluation.batch) * Double(widest),
                             "\(testing) \(model.name) at \(r) px with batch \(config.evaluation.batch)",
                             "lower evaluation.batch or the largest test resolution.")
                }
            }
        }
        let blurPool = scope == .testing ? nil : blurPoolRetraining(config)
        for model in config.models {
            guard model.isTrained else {
                if scope != .remedies { try estimate(model, [], testSizes: testSizes, testing: "Testing") }
                continue
            }
            try estimate(model, passes, testSizes: testSizes, testing: "Testing")
            if let blurPool, let variant = try? model.withBlurPool() {
                try estimate(variant, blurPool.passes, testSizes: blurPool.testSizes, testing: "Testing (blurpool)")
            }
        }
        return largest
    }

    /// A training-mode pass the configuration asks for: size, batch, what it is ("Training") and
    /// which field lowers it.
    private struct TrainingPass {
        var size: Int, batch: Int, what: String, fix: String
    }

    private static func trainingPasses(_ config: ExperimentConfig, remediesOnly: Bool) -> [TrainingPass] {
        let training = config.training
        let batch = training.batch, fix = "lower training.batch or the training resolution."
        var passes = remediesOnly ? [] : (training.resolutions + (training.multiResolution?.sizes.values ?? [])).map {
            TrainingPass(size: $0, batch: batch, what: "Training", fix: fix)
        }
        guard let remedies = config.remedies else { return passes }
        for r in training.resolutions where remedies.kinds.contains(.multires) && !remedies.at.isEmpty {
            passes += remedies.multiResolution(trainResolution: r).sizes.values.map {
                TrainingPass(size: $0, batch: batch, what: "Retraining (multires)", fix: retrainingFix(.multires))
            }
        }
        for r in remedies.at {
            if remedies.kinds.contains(.fixres) {
                passes.append(TrainingPass(size: r, batch: remedies.fixres.batch, what: "Fine-tuning (fixres)",
                                           fix: "lower remedies.fixres.batch or the sizes in remedies.at."))
            }
            if remedies.kinds.contains(.bnRecal) {
                passes.append(TrainingPass(size: r, batch: remedies.bnRecal.batch, what: "Recalibrating (bn-recal)",
                                           fix: "lower remedies.bn_recal.batch or the sizes in remedies.at."))
            }
        }
        return passes
    }

    /// The blurpool remedy's retraining (`RemedyRunner.retrain`): the BlurPool variant of each
    /// model trains as the cell did — at the training sizes (and `training.multi_resolution`'s)
    /// with `training.batch` — and is tested at `remedies.at`; nil when the remedy does not run.
    private static func blurPoolRetraining(_ config: ExperimentConfig) -> (passes: [TrainingPass], testSizes: [Int])? {
        guard let remedies = config.remedies, remedies.kinds.contains(.blurpool), !remedies.at.isEmpty else { return nil }
        let training = config.training
        let sizes = training.resolutions + (training.multiResolution?.sizes.values ?? [])
        let passes = sizes.map {
            TrainingPass(size: $0, batch: training.batch, what: "Retraining (blurpool)", fix: retrainingFix(.blurpool))
        }
        return (passes, remedies.at)
    }

    /// What lowers a retraining remedy's need: the training's batch or size, or not running it.
    private static func retrainingFix(_ remedy: RemedyKind) -> String {
        "lower training.batch or the training resolution, or remove \(remedy.rawValue) from remedies.run."
    }

    /// Throws `.tooMuchMemory` when the largest need of `config` exceeds `limit` bytes.
    public static func check(_ config: ExperimentConfig, limit: Int, scope: Scope = .run) throws {
        let need = try largest(config, scope: scope)
        if need.bytes > limit { throw ExperimentError.tooMuchMemory(what: need.what, need: need.bytes, limit: limit, fix: need.fix) }
    }

    /// The default limit: three quarters of this machine's physical memory.
    public static var defaultLimit: Int { Int(ProcessInfo.processInfo.physicalMemory / 4 * 3) }

    /// K(r): bytes of one image's tensors that the backward pass must read, every input of a
    /// convolution or dense node (the image for a node that reads it), each tensor counted once.
    static func keptBytes(_ plan: ModelPlan) -> Double {
        var read = Set<Int>()
        for node in plan.nodes {
            switch node.layer {
            case .conv, .dense: read.formUnion(node.inputs)
            default: break
            }
        }
        return read.reduce(0.0) { $0 + Double($1 < 0 ? 4 * plan.input.count : plan.nodes[$1].activationBytes) }
    }

    /// An upper bound of one node's multiply-adds per image, in floating point so that it cannot
    /// overflow: (r + 2·padding)² · channels² · kernel², with channels the most any node gives
    /// (the sum of every node's channels when a concat can join them). NN's `Int` model plan is
    /// asked only when this is small, so it never traps on a model that is merely too large.
    private static func multiplyAddBound(_ graph: GraphSpec, resolution r: Int) -> Double {
        var channels = 3.0, kernel = 1.0, padding = 0.0, total = 3.0
        for layer in graph.nodes.map(\.layer) {
            switch layer {
            case let .conv(c):
                channels = max(channels, Double(c.filters))
                total += Double(c.filters)
                kernel = max(kernel, Double(c.kernelHeight), Double(c.kernelWidth))
                switch c.padding {
                case let .explicit(p): padding = max(padding, Double(p))
                case let .asymmetric(top, left, bottom, right): padding = max(padding, Double(max(top, left, bottom, right)))
                case .valid, .same: break
                }
                padding = max(padding, Double(c.dilation) * Double(max(c.kernelHeight, c.kernelWidth)))
            case let .dense(units):
                channels = max(channels, Double(units))
                total += Double(units)
            case let .maxPool(p), let .avgPool(p): kernel = max(kernel, Double(p.kernel))
            default: break
            }
        }
        if graph.nodes.contains(where: { $0.layer == .concat }) { channels = total }
        let side = Double(r) + 2 * padding
        return side * side * channels * channels * kernel * kernel
    }
}
