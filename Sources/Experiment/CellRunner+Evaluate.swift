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
                record.shiftConsistency = try shiftConsistency(model, cell, key)
            }
            records.append(record)
            progress(.evaluated(cell, record))
        }
        return records
    }

    /// Top-1, top-5 and mean loss at `key`, and the per-image predictions file
    /// (`image,label,predicted,correct,p_label`, p_label the softmax probability of the true class),
    /// at `predictionsFile` (default: the cell's file for `key`). `inputs` replaces the test
    /// images at `key` (the resize remedy feeds them resized twice): it returns the
    /// (N, r, r, 3) inputs of the given test images and their size r.
    func evaluate(_ model: Model, _ cell: Cell, _ key: EvaluationKey, predictionsFile: String? = nil,
                  inputs: ((_ indices: [Int]) throws -> (values: [Float], resolution: Int))? = nil) throws -> EvaluationRecord {
        let test = data.test
        let classes = data.classNames.count
        let batch = config.evaluation.batch
        var top1 = 0, top5 = 0, loss = 0.0
        var csv = "image,label,predicted,correct,p_label\n"
        let testInputs = inputs ?? { indices in
            (try pipeline.tensors(.init(split: "test", resolution: key.resolution, filter: key.method,
                                        antialias: key.antialias, crop: config.evaluation.crop), indices), key.resolution)
        }
        for start in stride(from: 0, to: test.count, by: batch) {
            let indices = Array(start..<min(start + batch, test.count))
            let (values, resolution) = try testInputs(indices)
            let logits = try model.logits(values, count: indices.count, resolution: resolution)
            for (row, index) in indices.enumerated() {
                let scores = logits[(row * classes)..<((row + 1) * classes)]
                let label = test.labels[index]
                let top = scores.max()!
                let total = scores.reduce(0.0) { $0 + exp(Double($1 - top)) }
                let pLabel = exp(Double(scores[scores.startIndex + label] - top)) / total
                let predicted = scores.firstIndex(of: top)! - scores.startIndex
                // Rank of the true class: classes scoring strictly higher, ties resolved against it.
                let higher = scores.filter { $0 > scores[scores.startIndex + label] }.count
                top1 += predicted == label ? 1 : 0
                top5 += higher < 5 ? 1 : 0
                loss -= log(max(pLabel, 1e-45))
                csv += "\(csvField(test.names[index])),\(label),\(predicted),\(predicted == label ? 1 : 0),\(String(format: "%.6f", pLabel))\n"
            }
        }
        try writeAtomically(csv, to: predictionsFile ?? folder.predictionsFile(cell, key))
        let n = Double(test.count)
        return EvaluationRecord(key: key, top1: Double(top1) / n, top5: Double(top5) / n, loss: loss / n,
                                count: test.count, cannotRun: nil)
    }
}

/// A CSV field, quoted when it holds a comma, quote or newline (RFC 4180).
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
