import Stats

/// "What to do": per trained model, the accuracy before and after each remedy (a line chart of
/// the untreated curve with each remedy's points), and per treated size a table ranked by cost —
/// none → seconds → minutes of fine-tuning → a full retrain — with each remedy's gain over the
/// untreated model, its paired interval and Holm-adjusted p. Only gains the test supports are
/// called gains; the rest are shown as not helping (or as hurting, when the test says so), and a
/// remedy without a paired test (it cannot run there, or the untreated model cannot) as not
/// measured or not compared, never among those that do not help.
struct RemediesSection {
    let analysis: Analysis

    /// nil when no remedy ran.
    func html() -> String? {
        let comparisons = analysis.remedyComparisons
        guard !comparisons.isEmpty else { return nil }
        let confidence = Int(analysis.options.confidence * 100)
        let intro = element("p", [], "Each remedy was applied to the trained model and tested on the same test images as the untreated model at that size. A gain is the treated accuracy minus the untreated one in points, with its \(confidence)% paired bootstrap interval and the exact McNemar p-value, Holm-adjusted over all remedies and sizes of that model. Remedies are ranked by what they cost: \(RemedyCost.allCases.map(\.explainedLabel).joined(separator: " → ")).")
        return intro + comparisons.map(model).joined()
    }

    private func model(_ comparison: RemedyComparison) -> String {
        let key = comparison.untreated.key
        let heading = element("h3", [], escapeHTML("\(key.modelLabel), \(key.method.label)"))
        let summary = element("ul", [("class", "remedy-summary")], comparison.resolutions.map { r in
            element("li", [], escapeHTML(sentence(comparison, at: r)))
        }.joined())
        let tables = comparison.resolutions.map { r in
            element("h4", [], "At \(r) px") + table(comparison.rows.filter { $0.resolution == r })
        }.joined()
        return heading + chart(comparison) + summary + element("details", [("open", "")], element("summary", [], "Remedies ranked by cost") + tables)
    }

    /// "At 20 px (untreated 45.1%, 30.2 points below the peak at 32 px): helps: resizing to 32 px
    /// first +15.2 points (95% CI …, Holm-adjusted p < 0.001); … Not helping: … Hurts: … Not
    /// measured: … (why) … Not compared: …" — gains only where the adjusted test supports them.
    func sentence(_ comparison: RemedyComparison, at resolution: Int) -> String {
        let rows = comparison.rows.filter { $0.resolution == resolution }
        let alpha = analysis.options.alpha
        var base = "untreated not measured"
        if let untreated = rows.first?.untreated.mean {
            base = "untreated \(percent(untreated))"
            if let peak = comparison.untreated.peak, let top = comparison.untreated.cells[peak].mean, peak != comparison.untreated.cells.firstIndex(where: { $0.testResolution == resolution }) {
                base += ", \(points(untreated - top).replacingOccurrences(of: "−", with: "")) points \(untreated < top ? "below" : "above") the peak at \(comparison.untreated.cells[peak].testResolution) px"
            }
        }
        let groups: [(String, (RemedyComparison.Row) -> Bool)] = [
            ("Helps", { $0.verdict(alpha: alpha) == .firstBetter }),
            ("Not helping (no difference the test supports)", { $0.verdict(alpha: alpha) == .indistinguishable }),
            ("Hurts", { $0.verdict(alpha: alpha) == .secondBetter }),
            ("Not measured", { $0.untested?.kind == .notMeasured }),
            ("Not compared", { $0.untested?.kind == .notCompared }),
        ]
        let parts = groups.compactMap { title, belongs -> String? in
            let members = rows.filter(belongs)
            return members.isEmpty ? nil : "\(title): " + members.map(evidence).joined(separator: "; ")
        }
        return "At \(resolution) px (\(base)). " + parts.joined(separator: ". ") + "."
    }

    /// "re-estimating batch norm at 20 px +6.1 points (95% CI …, Holm-adjusted p …)"; without a
    /// paired test, why: "the other rounding rule at 20 px (cannot run: …)", or the treated
    /// accuracy and why it is not compared.
    private func evidence(_ row: RemedyComparison.Row) -> String {
        guard let test = row.test else {
            return "\(row.description)\(row.treated.mean.map { " " + percent($0) } ?? "") (\(row.untested?.reason ?? ""))"
        }
        return "\(row.description) \(points(test.difference)) points (\(evidenceText(test, confidence: analysis.options.confidence, adjusted: true)))"
    }

    /// The findings' line per treated size of the trained model `key`: the cheapest remedy the test
    /// supports and the largest supported gain, or that none helps. HTML.
    func findings(_ key: CurveKey) -> [String] {
        let alpha = analysis.options.alpha
        return analysis.remedyComparisons.filter { $0.untreated.key.model == key.model && $0.untreated.key.trainResolution == key.trainResolution }
            .flatMap { comparison in
                comparison.resolutions.map { r -> String in
                    let helping = comparison.rows.filter { $0.resolution == r && $0.verdict(alpha: alpha) == .firstBetter }
                    let method = escapeHTML(comparison.untreated.key.method.label)
                    guard let cheapest = helping.first, let largest = helping.max(by: { $0.test!.difference < $1.test!.difference }) else {
                        let untested = comparison.rows.filter { $0.resolution == r && $0.untested != nil }.map(\.description)
                        let unpaired = untested.isEmpty ? "" : "; without a paired test: " + escapeHTML(untested.joined(separator: ", "))
                        return "What to do at \(r) px (\(method)): no remedy tested there helps by a difference the paired test supports\(unpaired) (see What to do)."
                    }
                    let tail = largest.remedy == cheapest.remedy ? "" : "; the largest supported gain: \(escapeHTML(evidence(largest)))"
                    return "What to do at \(r) px (\(method)): the cheapest remedy that helps is \(escapeHTML(evidence(cheapest)))\(tail)."
                }
            }
    }

    /// The untreated curve over every tested size, and each remedy's accuracy at its sizes.
    private func chart(_ comparison: RemedyComparison) -> String {
        let curve = comparison.untreated
        let resolutions = curve.cells.map(\.testResolution)
        let names = comparison.rows.map(\.remedy).uniqued()
        func series(_ label: String, index: Int, dash: String, _ cellAt: (Int) -> Cell?) -> LineChart.Series {
            let cells = resolutions.map(cellAt)
            return LineChart.Series(label: label, colour: Palette.line(index), dash: dash, shape: MarkerShape(index),
                                    values: cells.map { $0?.mean }, bands: cells.map { $0?.interval },
                                    tooltips: zip(resolutions, cells).map { r, cell in
                                        cell?.mean.map { "\(label) at \(r) px: \(percent($0))" } ?? ""
                                    }, legendIndex: index)
        }
        var all = [series("untreated", index: 0, dash: "", curve.cell(at:))]
        for (index, name) in names.enumerated() {
            let rows = comparison.rows.filter { $0.remedy == name }
            all.append(series(name, index: index + 1, dash: "7 4") { r in rows.first { $0.resolution == r }?.treated })
        }
        let chart = LineChart(label: "Top-1 accuracy before and after each remedy for \(curve.key.label)", ticks: resolutions, series: all)
        let legend = ChartLegend(entries: all.map { .init(label: $0.label, colour: $0.colour, dash: $0.dash, shape: $0.shape) }, key: false)
        return element("figure", [], legend.svg() + chart.svg() + element("figcaption", [], escapeHTML("Solid: the untreated model at every tested size; dashed: each remedy at the sizes it was applied to. Click a legend entry to hide a line.")))
    }

    private func table(_ rows: [RemedyComparison.Row]) -> String {
        let alpha = analysis.options.alpha
        let header = ["remedy", "cost", "time to apply", "top-1 before → after", "gain (points)", "\(Int(analysis.options.confidence * 100))% CI", "Holm-adjusted p", "verdict"]
        let body = rows.map { row -> [TableCell] in
            let before = row.untreated.mean.map(percent) ?? "—"
            let after = row.treated.mean.map(percent) ?? (row.treated.cannotRun.map { _ in "cannot run" } ?? "—")
            let verdict: String
            switch row.verdict(alpha: alpha) {
            case .firstBetter?: verdict = "helps"
            case .secondBetter?: verdict = "hurts"
            case .indistinguishable?: verdict = "not helping"
            case nil: verdict = row.untested?.kind == .notMeasured ? "not measured" : "not compared"
            }
            let test = row.test
            return [TableCell(escapeHTML(row.description), title: row.notes.isEmpty ? nil : row.notes.joined(separator: "; ")),
                    .text(row.cost.label), .text(duration(row.seconds)), .text("\(before) → \(after)"),
                    .text(test.map { points($0.difference) } ?? "—"),
                    .text(test.map { "\(points($0.interval.lower)) to \(points($0.interval.upper))" } ?? "—"),
                    .text(test.map { pText($0.adjustedPValue).replacingOccurrences(of: "p = ", with: "").replacingOccurrences(of: "p < ", with: "< ") } ?? "—"),
                    TableCell(verdict, className: verdict == "helps" ? "significant" : nil)]
        }
        return element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: body, className: "numbers remedies"))
    }

    /// "0.4 s", "3 min 12 s", "1 h 05 min".
    private func duration(_ seconds: Double) -> String {
        if seconds < 60 { return fixed(seconds, 1) + " s" }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(String(format: "%02d", (whole % 3600) / 60)) min"
    }
}
