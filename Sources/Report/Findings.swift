import Stats

/// The "Findings" section: sentences computed from the data. A sentence claims a difference only
/// when the exact McNemar test, Holm-corrected over the comparisons that sentence group makes,
/// supports it at `alpha`; otherwise it says the cells are indistinguishable. Every claim shows
/// its interval and p-value.
struct Findings {
    let analysis: Analysis

    func html() -> String {
        // One item per trained model: its headline, with the details nested under it.
        let comparisons = analysis.methodComparisons
        var items: [String] = analysis.referenceCurves.map { curve in
            let methods = comparisons.filter { $0.reference.key == curve.key }
            let sentences = curveFindings(curve) + roundingDips(curve) + methods.map(methodFinding) + methods.compactMap(directionFinding)
                + RemediesSection(analysis: analysis).findings(curve.key)
            let details = sentences.dropFirst().map { element("li", [], $0) }.joined()
            return sentences[0] + (details.isEmpty ? "" : element("ul", [], details))
        }
        if items.isEmpty { items.append("No evaluation was recorded, so there is nothing to report yet.") }
        items = TrustWarnings(analysis: analysis).items + items
        let levels = "Intervals are \(Int(analysis.options.confidence * 100))%; differences are claimed at α = \(fixed(analysis.options.alpha, 2)) (exact McNemar test on the same images, Holm-corrected per finding); a drop point is where the interval's lower bound falls under \(Int((analysis.options.dropShare * 100).rounded()))% of the peak."
        return element("ul", [("class", "findings")], items.map { element("li", [], $0) }.joined(separator: "\n"))
            + element("p", [("class", "note")], escapeHTML(levels))
    }

    private var alpha: Double { analysis.options.alpha }
    private var confidenceLabel: String { "\(Int(analysis.options.confidence * 100))% CI" }

    /// "71.2% (95% CI 69.1–73.2%)"
    private func accuracy(_ cell: Cell) -> String {
        guard let mean = cell.mean else { return "—" }
        guard let interval = cell.interval else { return percent(mean) }
        return "\(percent(mean)) (\(confidenceLabel) \(fixed(100 * interval.lower, 1))–\(percent(interval.upper)))"
    }

    /// "−40.2 points (95% CI −42.1 to −38.3, Holm-adjusted p < 0.001)"
    func difference(_ comparison: PairedComparison, family: Int) -> String {
        "\(points(comparison.difference)) points (\(evidence(comparison, adjusted: family > 1)))"
    }

    private func evidence(_ comparison: PairedComparison, adjusted: Bool) -> String {
        escapeHTML(evidenceText(comparison, confidence: analysis.options.confidence, adjusted: adjusted))
    }

    private func curveFindings(_ curve: Curve) -> [String] {
        let name = element("strong", [], escapeHTML(curve.key.modelLabel))
        guard let peakIndex = curve.peak, let kept = curve.kept else {
            let reason = curve.cells.first?.cannotRun ?? "nothing was measured"
            return ["\(name) cannot run at any tested resolution: \(escapeHTML(sentence(reason)))"]
        }
        let peak = curve.cells[peakIndex]
        let share = Int((analysis.options.dropShare * 100).rounded())
        let low = curve.cells[kept.lowerBound].testResolution, high = curve.cells[kept.upperBound].testResolution
        let range = kept.count == curve.cells.count ? "at every tested resolution (\(low)–\(high) px)" : (low == high ? "only at \(low) px" : "from \(low) to \(high) px")
        var items = ["\(name), resized with \(escapeHTML(curve.key.method.label)), peaks at \(peak.testResolution) px with \(accuracy(peak)) and keeps ≥ \(share)% of that peak \(range) (every lower bound ≥ \(percent(curve.threshold)))."]

        let training = curve.cells.firstIndex { $0.testResolution == curve.key.trainResolution && $0.mean != nil }
        let tests = analysis.curveTests[curve.key]!  // Analysis tests every curve.
        let family = tests.family

        for (side, index, edge) in [(CurveTests.Name.below, curve.lowDrop, low), (.above, curve.highDrop, high)] {
            guard let index else { continue }
            let cell = curve.cells[index]
            let direction = side == .below ? "Below" : "Above"
            let why = [architectureNote(curve.key, resolution: cell.testResolution), causeNote(curve.key, resolution: cell.testResolution)]
                .compactMap { $0.map { " " + $0 } }.joined()
            if let reason = cell.cannotRun {
                items.append("\(direction) \(edge) px it cannot run: at \(cell.testResolution) px \(escapeHTML(sentence(reason)))")
                continue
            }
            guard let comparison = tests.comparisons[side] else {
                items.append("\(direction) \(edge) px it falls to \(accuracy(cell)) at \(cell.testResolution) px, under \(share)% of the peak; no per-image predictions were stored, so no paired test was made.\(why)")
                continue
            }
            if comparison.verdict(alpha: alpha) == .secondBetter {
                items.append("\(direction) \(edge) px it drops: at \(cell.testResolution) px it reaches \(accuracy(cell)), \(difference(comparison, family: family)) against the peak.\(why)")
            } else {
                items.append("At \(cell.testResolution) px the interval's lower bound (\(percent(cell.interval?.lower ?? 0))) falls under \(share)% of the peak, but the paired test cannot tell it from the peak: indistinguishable, \(difference(comparison, family: family)).")
            }
        }
        if let training, let comparison = tests.comparisons[.peak] {
            let trainCell = curve.cells[training]
            let side = peak.testResolution > trainCell.testResolution ? "above" : "below"
            if comparison.verdict(alpha: alpha) == .firstBetter {
                items.append("It peaks at \(peak.testResolution) px, \(side) its \(curve.key.trainResolution) px training resolution: \(difference(comparison, family: family)) against \(accuracy(trainCell)) there.")
            } else {
                items.append("Its best resolution, \(peak.testResolution) px, is indistinguishable from the \(curve.key.trainResolution) px training resolution: \(difference(comparison, family: family)).")
            }
        }
        items += cannotRunFindings(curve, described: [curve.lowDrop, curve.highDrop].compactMap { $0 })
        return items
    }

    /// "It also cannot run at 8, 12, 40 px; at 40 px: <reason>": one sentence for the resolutions
    /// not already described, quoting the reason at the one closest to the training resolution.
    private func cannotRunFindings(_ curve: Curve, described: [Int]) -> [String] {
        let failing = curve.cells.indices.filter { curve.cells[$0].cannotRun != nil && !described.contains($0) }
        guard let closest = failing.min(by: {
            abs(curve.cells[$0].testResolution - curve.key.trainResolution) < abs(curve.cells[$1].testResolution - curve.key.trainResolution)
        }) else { return [] }
        let list = failing.map { String(curve.cells[$0].testResolution) }.joined(separator: ", ")
        let cell = curve.cells[closest]
        return ["It also cannot run at \(list) px; at \(cell.testResolution) px \(escapeHTML(sentence(cell.cannotRun!)))"]
    }

    /// The largest supported difference with its interval and p-value, then every resolution
    /// where the two differ with the largest adjusted p-value among them, or "indistinguishable"
    /// with the smallest p-value when none is supported.
    private func methodFinding(_ comparison: MethodComparison) -> String {
        let other = escapeHTML(comparison.other.key.method.label), reference = escapeHTML(comparison.reference.key.method.label)
        if comparison.rows.isEmpty {
            return "\(capitalized(other)) and \(reference) were not compared: no resolution has per-image predictions from both."
        }
        let adjusted = comparison.rows.count > 1
        let significant = comparison.rows.filter { $0.isSignificant(alpha: alpha) }
        guard let largest = significant.max(by: { abs($0.test.difference) < abs($1.test.difference) }) else {
            let smallest = comparison.rows.map(\.test.adjustedPValue).min()!
            return "\(capitalized(other)) and \(reference) are indistinguishable at every resolution (smallest \(escapeHTML(pText(smallest, adjusted: adjusted))) over \(plural(comparison.rows.count, "resolution")))."
        }
        let test = largest.test
        let verb = test.difference < 0 ? "costs" : "gains"
        let magnitude = fixed(abs(100 * test.difference), 1)
        let claim = "\(capitalized(other)) \(verb) \(magnitude) points against \(reference) at \(largest.resolution) px (\(evidence(test, adjusted: adjusted)))"
        guard significant.count > 1 else {
            return claim + "; it is the only one of \(plural(comparison.rows.count, "resolution")) where the two differ."
        }
        let list = significant.map { String($0.resolution) }.joined(separator: ", ")
        let weakest = significant.map(\.test.adjustedPValue).max()!
        return claim + "; the two differ at \(significant.count) of \(plural(comparison.rows.count, "resolution")): \(list) px (largest \(escapeHTML(pText(weakest, adjusted: adjusted))))."
    }

    /// Why the architecture struggles at a resolution, from its layer table: the breaking layer,
    /// or the last feature map's size, whether one position sees the whole image, and the rows
    /// and columns flooring dropped (or, for a model with ceil rounding, padded).
    func architectureNote(_ key: CurveKey, resolution: Int) -> String? {
        guard let table = analysis.architecture(key, testResolution: resolution) else { return nil }
        if let broken = table.layers.first(where: { $0.breaks != nil }) {
            return "At \(resolution) px \(escapeHTML(broken.layer)) breaks: \(escapeHTML(sentence(broken.breaks!)))"
        }
        guard let last = table.layers.last(where: { $0.outputShape.count == 3 }) else { return nil }
        var note = "At \(resolution) px the last feature map (after \(escapeHTML(last.layer))) is \(last.outputShape[0])×\(last.outputShape[1])"
        if last.receptiveField >= resolution {
            note += " and one position's \(last.receptiveField) px receptive field covers the whole image"
        }
        let rows = table.layers.map(\.rowsLost).reduce(0, +), columns = table.layers.map(\.columnsLost).reduce(0, +)
        if rows + columns > 0 { note += "; flooring drops \(plural(rows, "row")) and \(plural(columns, "column")) on the way" }
        let ceil = table.layers.flatMap(\.rules).filter { $0.used && $0.rule == .ceil }
        let paddedRows = ceil.map(\.rows.padded).reduce(0, +), paddedColumns = ceil.map(\.columns.padded).reduce(0, +)
        if paddedRows + paddedColumns > 0 {
            note += "; ceil rounding pads \(plural(paddedRows, "row")) and \(plural(paddedColumns, "column")) on the way"
        }
        return note + "."
    }
}

/// The text with a final full stop unless it already ends a sentence.
func sentence(_ text: String) -> String {
    guard let last = text.last else { return text }
    return ".!?".contains(last) ? text : text + "."
}

/// "1 resolution", "3 resolutions".
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

/// The text with its first letter in upper case ("Nearest").
func capitalized(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
