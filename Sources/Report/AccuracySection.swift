import Stats

/// "Accuracy vs test resolution": one line chart with a line per trained model and method, the
/// interval as a band, training resolutions and drop points marked, and the numbers in a
/// collapsible table underneath.
struct AccuracySection {
    let analysis: Analysis

    func html() -> String {
        let models = analysis.curves.map(\.key.modelLabel).uniqued()
        let series = analysis.curves.map { curve -> LineChart.Series in
            let colour = Palette.line(models.firstIndex(of: curve.key.modelLabel)!)
            let dash = Palette.dash(analysis.methods.firstIndex(of: curve.key.method)!)
            var values: [Double?] = [], bands: [Interval?] = [], tooltips: [String] = []
            var gaps: [(index: Int, reason: String)] = []
            for (index, resolution) in analysis.resolutions.enumerated() {
                let cell = curve.cell(at: resolution)
                values.append(cell?.mean)
                bands.append(cell?.interval)
                tooltips.append(cell.map { tooltip(curve, $0) } ?? "")
                if let reason = cell?.cannotRun { gaps.append((index, reason)) }
            }
            var markers: [LineChart.Marker] = []
            if let i = analysis.resolutions.firstIndex(of: curve.key.trainResolution), let value = values[i] {
                markers.append(.init(kind: .training, index: i, value: value, tooltip: "\(curve.key.label): trained at \(curve.key.trainResolution) px"))
            }
            for drop in [curve.lowDrop, curve.highDrop].compactMap({ $0 }) {
                let cell = curve.cells[drop]
                guard let mean = cell.mean, let i = analysis.resolutions.firstIndex(of: cell.testResolution) else { continue }
                markers.append(.init(kind: .drop, index: i, value: mean, tooltip: "\(curve.key.label): drop point at \(cell.testResolution) px (\(percent(mean)))"))
            }
            return LineChart.Series(label: curve.key.label, colour: colour, dash: dash, values: values, bands: bands,
                                    tooltips: tooltips, markers: markers, gaps: gaps)
        }
        let chart = LineChart(label: "Top-1 accuracy against test resolution for \(analysis.data.experiment)",
                              resolutions: analysis.resolutions, series: series)
        return element("figure", [], chart.svg() + element("figcaption", [], escapeHTML(caption)))
            + element("details", [], element("summary", [], "Numbers") + numbersTable())
    }

    private var caption: String {
        "Colour = trained model, line style = resize method. Bands: \(Int(analysis.options.confidence * 100))% interval (t-interval over ≥ 3 seeds, else Wilson over the pooled test images). Hover a point for its numbers; click a legend entry to hide a line."
    }

    private func tooltip(_ curve: Curve, _ cell: Cell) -> String {
        if let reason = cell.cannotRun { return "\(curve.key.label) at \(cell.testResolution) px: cannot run: \(reason)" }
        var text = "\(curve.key.label) at \(cell.testResolution) px: \(cellText(cell))"
        if let summary = cell.summary, summary.count > 1 {
            text += ", seeds \(summary.count), spread \(percent(summary.minimum))–\(percent(summary.maximum))"
        }
        return text
    }

    /// "71.2% [69.1, 73.2]"
    private func cellText(_ cell: Cell) -> String {
        guard let mean = cell.mean, let interval = cell.interval else { return cell.cannotRun.map { "cannot run: \($0)" } ?? "—" }
        return "\(percent(mean)) [\(fixed(100 * interval.lower, 1)), \(fixed(100 * interval.upper, 1))]"
    }

    private func numbersTable() -> String {
        let header = ["model", "method"] + analysis.resolutions.map { "\($0) px" }
        let rows = analysis.curves.map { curve -> [TableCell] in
            [.text(curve.key.modelLabel), .text(curve.key.method.label)] + analysis.resolutions.map { resolution in
                guard let cell = curve.cell(at: resolution) else { return "" }
                if let reason = cell.cannotRun { return TableCell("cannot run", className: "broken", title: reason) }
                let isDrop = [curve.lowDrop, curve.highDrop].compactMap { $0 }.contains { curve.cells[$0].testResolution == resolution }
                return TableCell(escapeHTML(cellText(cell)), className: isDrop ? "drop" : nil)
            }
        }
        return element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers"))
    }
}
