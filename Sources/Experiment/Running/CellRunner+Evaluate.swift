import Foundation

extension CellRunner {
    /// Tests `model` at every evaluation key; writes one predictions file per evaluation. A stop
    /// request ends it between evaluations with `.interrupted` (the trained model's state is saved,
    /// so a rerun evaluates it again without training).
    func evaluate(_ model: Model, _ cell: Cell) throws -> [EvaluationRecord] {
        var records: [EvaluationRecord] = []
        for key in config.evaluationKeys {
            if control.stopRequested { throw ExperimentError.interrupted(runFolder: folder.path) }
            var record: EvaluationRecord
            if let reason = model.cannotRunReason(at: key.resolution) {
                record = EvaluationRecord(key: key, count: data.test.count, cannotRun: reason)
            } else {
                record = try evaluate(model, cell, key)
                if record.cannotRun == nil { record.shiftConsistency = try shiftConsistency(model, cell, key) }
            }
            records.append(record)
            progress(.evaluated(cell, record))
        }
        return records
    }

    /// Top-1, top-5 and mean loss at `key`, and the per-image predictions file
    /// (`image,true_class,predicted_class,label,predicted,correct,p_label`: class names, then
    /// their indices, p_label the softmax probability of the true class; readers count fields
    /// from the end, so names holding commas, quoted, do not shift them), at `predictionsFile`
    /// (default: the cell's file for `key`). `inputs` replaces the test images at `key` (the
    /// resize remedy feeds them resized twice): it returns the (N, r, r, C) inputs of the given
    /// test images and their size r.
    func evaluate(_ model: Model, _ cell: Cell, _ key: EvaluationKey, predictionsFile: String? = nil,
                  inputs: ((_ indices: [Int]) throws -> (values: [Float], resolution: Int))? = nil) throws -> EvaluationRecord {
        let test = data.test
        let testInputs = inputs ?? { indices in
            (try pipeline.tensors(.init(split: "test", resolution: key.resolution, method: key.resizeMethod, crop: config.evaluation.crop), indices), key.resolution)
        }
        // Overflowing activations (a model far from its training size) give no prediction:
        // recorded as a test condition the model cannot take, so no NaN reaches a results file.
        guard let scores = try score(model, testInputs) else {
            return EvaluationRecord(key: key, top1: nil, top5: nil, loss: nil, count: test.count,
                                    cannotRun: "its outputs are not finite at \(key.resolution) px (activations overflow float32)")
        }
        let names = data.classNames
        var csv = "image,true_class,predicted_class,label,predicted,correct,p_label\n"
        for (index, score) in scores.enumerated() {
            let label = test.labels[index]
            csv += "\(csvField(test.names[index])),\(csvField(names[label])),\(csvField(names[score.predicted])),"
                + "\(label),\(score.predicted),\(score.predicted == label ? 1 : 0),\(String(format: "%.6f", score.pLabel))\n"
        }
        try writeAtomically(csv, to: predictionsFile ?? folder.predictionsFile(cell, key))
        let n = Double(test.count)
        return EvaluationRecord(key: key, top1: Double(scores.filter { $0.rank == 0 }.count) / n,
                                top5: Double(scores.filter { $0.rank < 5 }.count) / n,
                                loss: scores.reduce(0) { $0 - log(max($1.pLabel, 1e-45)) } / n,
                                count: test.count, cannotRun: nil)
    }

    /// Top-1 and mean loss of `model` on the held-out images at `cell`'s training resolution, the
    /// training resize method and the test crop (the images the training curve is measured on);
    /// nil without test images.
    func heldOut(_ model: Model, _ cell: Cell) throws -> (top1: Double, loss: Double)? {
        guard data.test.count > 0 else { return nil }
        let key = TensorPipeline.Key(split: "test", resolution: cell.trainResolution, method: config.training.resizeMethod,
                                     crop: config.evaluation.crop)
        guard let scores = try score(model, { indices in (try pipeline.tensors(key, indices), cell.trainResolution) }) else { return nil }
        let n = Double(scores.count)
        return (Double(scores.filter { $0.rank == 0 }.count) / n, scores.reduce(0) { $0 - log(max($1.pLabel, 1e-45)) } / n)
    }

    /// One test image's outcome: the predicted class (the first highest logit), the softmax
    /// probability of the true class, and the true class's rank: 0 when predicted, else the
    /// classes scoring strictly higher (at least 1).
    struct ImageScore {
        var predicted: Int
        var pLabel: Double
        var rank: Int
    }

    /// Scores every test image, in batches of `evaluation.batch`, on the inputs `inputs` gives;
    /// nil when a logit is not finite.
    private func score(_ model: Model, _ inputs: (_ indices: [Int]) throws -> (values: [Float], resolution: Int)) throws -> [ImageScore]? {
        let test = data.test
        let classes = data.classNames.count
        let batch = config.evaluation.batch
        var result: [ImageScore] = []
        result.reserveCapacity(test.count)
        for start in stride(from: 0, to: test.count, by: batch) {
            let indices = Array(start..<min(start + batch, test.count))
            let (values, resolution) = try inputs(indices)
            let logits = try model.logits(values, count: indices.count, resolution: resolution)
            if logits.contains(where: { !$0.isFinite }) { return nil }
            for (row, index) in indices.enumerated() {
                let scores = logits[(row * classes)..<((row + 1) * classes)]
                let label = test.labels[index]
                let top = scores.max()!
                let total = scores.reduce(0.0) { $0 + exp(Double($1 - top)) }
                let pLabel = exp(Double(scores[scores.startIndex + label] - top)) / total
                let predicted = scores.firstIndex(of: top)! - scores.startIndex
                let higher = scores.filter { $0 > scores[scores.startIndex + label] }.count
                result.append(ImageScore(predicted: predicted, pLabel: pLabel, rank: predicted == label ? 0 : max(higher, 1)))
            }
        }
        return result
    }
}

/// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ text: String) -> String {
    // Scalars, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
    guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
