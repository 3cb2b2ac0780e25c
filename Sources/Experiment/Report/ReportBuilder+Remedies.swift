import Report

/// The stored remedy results of `folder` as the report shows them, with the predicted class of
/// every test image (from their predictions files) so the report can pair them with the
/// untreated model's.
func remedyEvaluations(_ folder: RunFolder) throws -> [RemedyEvaluation] {
    let remedies = try storedRemedies(folder)
    let classes = remedies.isEmpty ? 0 : try readRunData(folder, cellsFinished: true)?.classNames.count ?? 0
    return try remedies.map { result in
        let record = result.record, cell = result.cell
        let outcome: Outcome
        if let reason = record.cannotRun {
            outcome = .cannotRun(reason: reason)
        } else {
            let predicted = try readPredictions(folder.remedyPredictionsFile(cell, result.remedy, record.key),
                                                count: record.count, classes: classes)
            outcome = .measured(Metrics(top1: record.top1 ?? 0, top5: record.top5, loss: record.loss, count: record.count,
                                        predicted: predicted))
        }
        let evaluation = Evaluation(model: cell.model.name, trainResolution: cell.trainResolution, seed: cell.seed,
                                    testResolution: record.key.resolution, method: record.key.method,
                                    antialias: record.key.antialias, outcome: outcome)
        return RemedyEvaluation(remedy: result.remedy.rawValue,
                                description: result.remedy.describe(at: record.key.resolution, trainResolution: cell.trainResolution),
                                cost: result.remedy.cost, seconds: result.seconds, note: result.note, evaluation: evaluation)
    }
}
