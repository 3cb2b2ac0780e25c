import Foundation
import NN

extension RemedyRunner {
    /// A retraining remedy: trains the variant of `cell` (same data, seed, epochs and optimizer)
    /// as a one-cell run in `remedies/cell-NNNN/<remedy>/` — so a stopped training resumes from
    /// its saved state like any cell — tests it at `keys`, and stores the results beside the
    /// treated ones. Logs and skips a model whose BlurPool variant is the model itself.
    func retrain(_ remedy: RemedyKind, _ cell: Cell, keys: [EvaluationKey]) throws {
        var derived = config
        derived.remedies = nil
        derived.evaluation.resolutions = .list(keys.map(\.resolution))
        derived.evaluation.methods = [keys[0].method]
        derived.evaluation.antialias = [keys[0].antialias]
        var model = cell.model
        let note: String
        switch remedy {
        case .multires:
            let sizes = remedies.multiResolution(trainResolution: cell.trainResolution)
            let probe = try Model(info: cells.modelInfo(cell), seed: cell.seed)
            if let size = sizes.sizes.values.first(where: { probe.cannotRunReason(at: $0) != nil }) {
                folder.log("cell \(cell.id) remedy multires skipped: \(model.name) cannot train at \(size) px: \(probe.cannotRunReason(at: size)!)")
                return
            }
            derived.training.multiResolution = sizes
            let list = sizes.sizes.values.map(String.init).joined(separator: ", ")
            note = "retrained, \(derived.training.epochs) epochs, each batch " + (sizes.grow ? "growing over epochs through" : "drawn from") + " \(list) px"
        case .blurpool:
            guard let variant = try model.withBlurPool() else {
                let isGraph = if case .graph = model.architecture { true } else { false }
                let why = isGraph
                    ? "\(model.name) is a graph, and the BlurPool variant is built for layer lists only (not measured)"
                    : "\(model.name) has no max-pooling or strided layer to antialias"
                folder.log("cell \(cell.id) remedy blurpool skipped: \(why)")
                return
            }
            model = variant
            note = "retrained, \(derived.training.epochs) epochs: " + variant.resolvedLayers.joined(separator: ", ")
        case .resize, .rounding, .bnRecal, .fixres:
            preconditionFailure("\(remedy) treats the trained model")
        }
        let variant = Cell(id: cell.id, model: model, trainResolution: cell.trainResolution, seed: cell.seed)
        let nested = folder.remedyTrainingFolder(cell, remedy)
        let runner = CellRunner(config: derived, pipeline: pipeline, folder: nested, control: cells.control, progress: cells.progress)
        var records: [EvaluationKey: EvaluationRecord] = [:]
        let seconds: Double
        if let stored = try? JSONDecoder().decode(CellResult.self, from: Data(contentsOf: URL(fileURLWithPath: nested.resultFile(variant)))) {
            // Trained before: test the stored model at the sizes it has not seen yet.
            seconds = stored.trainSeconds
            for record in stored.evaluations { records[record.key] = record }
            let missing = keys.filter { records[$0] == nil }
            if !missing.isEmpty {
                let trained = try Model.load(from: nested.checkpointFile(variant))
                for key in missing {
                    records[key] = try trained.cannotRunReason(at: key.resolution).map {
                        EvaluationRecord(key: key, count: cells.data.test.count, cannotRun: $0)
                    } ?? runner.evaluate(trained, variant, key)
                }
            }
        } else {
            // A stop names the run folder, whose remedies continue on a rerun; the nested
            // one-cell folder is no run a user can resume.
            let result: CellResult
            do { result = try runner.run(variant) } catch ExperimentError.interrupted {
                throw ExperimentError.interrupted(runFolder: folder.path)
            }
            seconds = result.trainSeconds
            for record in result.evaluations { records[record.key] = record }
        }
        for key in keys {
            guard let record = records[key] else { continue }
            if record.cannotRun == nil {
                let copy = try Data(contentsOf: URL(fileURLWithPath: nested.predictionsFile(variant, key)))
                try writeAtomically(copy, to: folder.remedyPredictionsFile(cell, remedy, key))
            }
            try store(RemedyResult(cell: cell, remedy: remedy, record: record, seconds: seconds, note: note))
        }
    }
}

extension ModelConfig {
    /// The model's BlurPool variant (`blurPoolVariant`), or nil when it has none: a graph model,
    /// or no max-pooling or strided layer to antialias (the remedy then skips the model).
    func withBlurPool() throws -> ModelConfig? {
        let layers = try blurPoolVariant(resolvedLayers)
        guard layers != resolvedLayers else { return nil }
        return ModelConfig(name: name, layers: layers, rounding: rounding)
    }
}

/// The model's BlurPool variant (Zhang 2019, "Making convolutional networks shift-invariant
/// again"): `maxpool k stride s` becomes `maxpool k stride 1` then `blurpool s` (MaxBlurPool);
/// `avgpool k stride s` becomes `blurpool s` (the blur already averages); a convolution with
/// stride s > 1 runs at stride 1 and is followed, after its batch norm and ReLU, by `blurpool s`
/// (ConvBlurPool). The blur has 4 taps, the paper's default. Other layers are kept as written.
func blurPoolVariant(_ layers: [String]) throws -> [String] {
    var out: [String] = []
    var pendingBlur: Int?
    for line in layers {
        let layer = try LayerSpec(parsing: line.replacingOccurrences(of: "classes", with: "2"))
        if let stride = pendingBlur, layer != .batchNorm, layer != .relu {
            out.append("blurpool \(stride)")
            pendingBlur = nil
        }
        switch layer {
        case var .maxPool(spec) where spec.stride > 1:
            let stride = spec.stride
            spec.stride = 1
            out += [LayerSpec.maxPool(spec).description, "blurpool \(stride)"]
        case let .avgPool(spec) where spec.stride > 1:
            out.append("blurpool \(spec.stride)")
        case var .conv(spec) where spec.stride > 1:
            pendingBlur = spec.stride
            spec.stride = 1
            out.append(LayerSpec.conv(spec).description)
        default:
            out.append(line)
        }
    }
    if let stride = pendingBlur { out.append("blurpool \(stride)") }
    return out
}
