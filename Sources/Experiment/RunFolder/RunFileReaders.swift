import Foundation

// Readers of a run folder's stored files, as strict as their writers: a truncated, edited or
// foreign file is refused with a sentence naming it (`ExperimentError.damagedRunFile`) instead of
// trapping on an index or turning into silently wrong numbers in the report.

/// The records of an RFC 4180 CSV text: fields separated by commas, records by LF or CRLF; a
/// quoted field may hold commas, quotes (doubled) and line breaks. Nil when a quote is left open
/// or stands inside an unquoted field.
func parseCSV(_ text: String) -> [[String]]? {
    var records: [[String]] = []
    var record: [String] = []
    var field = String.UnicodeScalarView()
    var quoted = false, wasQuoted = false
    var scalars = text.unicodeScalars.makeIterator()
    var pending = scalars.next()
    func endField() {
        record.append(String(field))
        field = String.UnicodeScalarView()
        wasQuoted = false
    }
    while let scalar = pending {
        pending = scalars.next()
        if quoted {
            if scalar == "\"" {
                if pending == "\"" { field.append("\""); pending = scalars.next() } else { quoted = false }
            } else {
                field.append(scalar)
            }
            continue
        }
        switch scalar {
        case "\"":
            guard field.isEmpty, !wasQuoted else { return nil }
            quoted = true
            wasQuoted = true
        case ",":
            endField()
        case "\r" where pending == "\n":
            break
        case "\n":
            endField()
            records.append(record)
            record = []
        default:
            guard !wasQuoted else { return nil }
            field.append(scalar)
        }
    }
    if quoted { return nil }
    if !field.isEmpty || !record.isEmpty || wasQuoted {
        endField()
        records.append(record)
    }
    return records
}

/// The `predicted` column of a predictions file
/// (`image,true_class,predicted_class,label,predicted,correct,p_label`), checked: `count` rows,
/// each with seven fields and class indices below `classes`.
func readPredictions(_ path: String, count: Int, classes: Int) throws -> [Int] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw ExperimentError.io(path: path, reason: "the predictions file is missing or not UTF-8 text; delete the cell's result file to rerun it")
    }
    func damaged(_ reason: String) -> ExperimentError { .damagedRunFile(path: path, reason: reason) }
    guard let records = parseCSV(text) else { throw damaged("it is not valid CSV (a quote is left open)") }
    guard records.first == ["image", "true_class", "predicted_class", "label", "predicted", "correct", "p_label"] else {
        throw damaged("its header is not image,true_class,predicted_class,label,predicted,correct,p_label")
    }
    let rows = records.dropFirst()
    guard rows.count == count else { throw damaged("it has \(rows.count) rows, but the cell's result counts \(count) test images") }
    return try rows.enumerated().map { index, row in
        guard row.count == 7, let label = Int(row[3]), let predicted = Int(row[4]),
              (0..<classes).contains(label), (0..<classes).contains(predicted) else {
            throw damaged("row \(index + 2) does not hold seven fields with class indices below \(classes) in its label and predicted columns")
        }
        return predicted
    }
}

/// The result stored at `path` for cell `id`, checked against the plan: its cell must be the
/// plan's cell `id` (a copy of another cell's file is refused), every evaluation one of the
/// configuration's test conditions, and every number finite and in range.
func checkedResult(_ data: Data, path: String, id: Int, plan: [Cell], keys: Set<EvaluationKey>) throws -> CellResult {
    func damaged(_ reason: String) -> ExperimentError { .damagedRunFile(path: path, reason: reason) }
    let result: CellResult
    do { result = try JSONDecoder().decode(CellResult.self, from: data) } catch {
        throw damaged("it is not a cell result (\(decodingProblem(error)))")
    }
    let cell = result.cell
    guard cell.id == id, id < plan.count, plan[id].model.name == cell.model.name,
          plan[id].trainResolution == cell.trainResolution, plan[id].seed == cell.seed else {
        throw damaged("it holds cell \(cell.id) (\(cell.label)), not the plan's cell \(id)")
    }
    let share = 0.0...1.0
    for record in result.evaluations {
        guard keys.contains(record.key) else { throw damaged("it holds a test condition the configuration does not list (\(record.key.stem))") }
        let valuesOK = [record.top1, record.top5, record.shiftConsistency].allSatisfy { $0.map(share.contains) ?? true }
            && (record.loss.map { $0.isFinite && $0 >= 0 } ?? true) && record.count >= 0
        guard valuesOK else { throw damaged("its \(record.key.stem) evaluation holds an accuracy outside 0...1, a negative count or a non-finite loss") }
    }
    guard result.epochs.allSatisfy({ $0.loss.isFinite && $0.seconds.isFinite }),
          result.trainSeconds.isFinite, result.evaluateSeconds.isFinite else {
        throw damaged("it holds a non-finite loss or time")
    }
    return result
}

/// data.json, checked: test labels below the class count. Nil when the file is absent and no
/// cell has finished (a run that has not loaded its data yet).
func readRunData(_ folder: RunFolder, cellsFinished: Bool) throws -> RunData? {
    let path = folder.dataFile
    guard let data = FileManager.default.contents(atPath: path) else {
        if cellsFinished { throw ExperimentError.damagedRunFile(path: path, reason: "it is missing, but cells have finished") }
        return nil
    }
    let stored: RunData
    do { stored = try JSONDecoder().decode(RunData.self, from: data) } catch {
        throw ExperimentError.damagedRunFile(path: path, reason: "it is not the run's data summary (\(decodingProblem(error)))")
    }
    guard stored.testLabels.allSatisfy({ (0..<stored.classNames.count).contains($0) }), stored.decodeSeconds.isFinite else {
        throw ExperimentError.damagedRunFile(path: path, reason: "a test label is not below the class count \(stored.classNames.count)")
    }
    return stored
}

/// A decoding error in a few words: the field at fault, not Foundation's full dump.
private func decodingProblem(_ error: Error) -> String {
    guard let error = error as? DecodingError else { return "unreadable JSON" }
    switch error {
    case let .dataCorrupted(context) where context.codingPath.isEmpty: return "truncated or not JSON"
    case let .dataCorrupted(context), let .typeMismatch(_, context), let .valueNotFound(_, context):
        return "a wrong value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
    case let .keyNotFound(key, _): return "no `\(key.stringValue)`"
    @unknown default: return "unreadable JSON"
    }
}
