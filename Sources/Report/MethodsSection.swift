/// "Resize methods": per trained model, the accuracy difference of each method against the
/// reference method at every resolution, as bars with the paired bootstrap interval as whiskers
/// (solid and starred where the Holm-corrected McNemar test supports the difference) and as a
/// table with the intervals and p-values.
struct MethodsSection {
    let analysis: Analysis

    /// nil when only one method was run, or when no resolution could be paired (no per-image
    /// predictions: the findings say the methods were not compared).
    func html() -> String? {
        let comparisons = analysis.methodComparisons.filter { !$0.rows.isEmpty }
        guard analysis.methods.count > 1, !comparisons.isEmpty else { return nil }
        let reference = escapeHTML(analysis.methods[0].label)
        let intro = element("p", [], "Each bar is a method's accuracy minus \(reference) on the same test images, in points; its whisker is the \(Int(analysis.options.confidence * 100))% paired bootstrap interval of that difference. Solid bars marked ∗ are differences the exact McNemar test supports at α = \(fixed(analysis.options.alpha, 2)) after Holm's correction over that model's resolutions; outlined bars are indistinguishable from zero (their whiskers usually cross it).")
        let models = analysis.referenceCurves.map(\.key)
        return intro + models.map { key in
            let mine = comparisons.filter { $0.reference.key == key }
            guard !mine.isEmpty else { return "" }
            let resolutions = analysis.resolutions.filter { r in mine.contains { c in c.rows.contains { $0.resolution == r } } }
            let groups = mine.map { comparison in
                BarChart.Group(label: comparison.other.key.method.label,
                               colour: Palette.line(analysis.methods.firstIndex(of: comparison.other.key.method)!),
                               bars: resolutions.map { r in
                                   comparison.rows.first { $0.resolution == r }.map { row in
                                       BarChart.Bar(value: row.test.difference, interval: row.test.interval,
                                                    significant: row.isSignificant(alpha: analysis.options.alpha),
                                                    tooltip: "\(comparison.other.key.method.label) − \(analysis.methods[0].label) at \(r) px: \(evidence(row))")
                                   }
                               })
            }
            let chart = BarChart(label: "Accuracy difference against \(analysis.methods[0].label) for \(key.modelLabel)",
                                 categories: resolutions.map(String.init), groups: groups)
            let legend = groups.map { group in
                element("span", [("class", "key")], element("span", [("class", "swatch"), ("style", "background:\(group.colour)")], "") + escapeHTML(group.label))
            }.joined()
            return element("h3", [], escapeHTML(key.modelLabel))
                + element("figure", [], chart.svg() + element("figcaption", [], legend))
                + element("details", [], element("summary", [], "Differences, intervals and p-values") + table(mine, resolutions: resolutions))
        }.joined()
    }

    /// "−12.0 points (95% CI −15.0 to −9.1, Holm-adjusted p < 0.001)"
    private func evidence(_ row: MethodComparison.Row) -> String {
        "\(points(row.test.difference)) points (\(evidenceText(row.test, confidence: analysis.options.confidence, adjusted: true)))"
    }

    private func table(_ comparisons: [MethodComparison], resolutions: [Int]) -> String {
        let header = ["method"] + resolutions.map { "\($0) px" }
        let rows = comparisons.map { comparison -> [TableCell] in
            [.text(comparison.other.key.method.label)] + resolutions.map { r in
                guard let row = comparison.rows.first(where: { $0.resolution == r }) else { return "" }
                return TableCell(escapeHTML(evidence(row)), className: row.isSignificant(alpha: analysis.options.alpha) ? "significant" : nil)
            }
        }
        return element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers"))
    }
}
