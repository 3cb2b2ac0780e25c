import Stats

/// "Accuracy vs test resolution": small multiples, one chart per trained model, each with a
/// line per resize method in the same colour and marker everywhere, one shared legend, the
/// interval as a band, the chance level, the training resolution and the drops the paired test
/// supports marked; the numbers in a collapsible table underneath.
struct AccuracySection {
    let analysis: Analysis

    func html() -> String {
        let models = analysis.curves.map(\.key.modelLabel).uniqued()
        let classes = analysis.data.classNames.count
        let chance = classes >= 2 ? 1 / Double(classes) : nil
        // Two panels side by side when there are several; each scales to its column.
        let width = models.count > 1 ? 540.0 : 1000.0
        let panels = models.map { model -> String in
            let curves = analysis.curves.filter { $0.key.modelLabel == model }
            var chart = LineChart(label: "Top-1 accuracy of \(model) against test resolution, one line per resize method",
                                  title: model, ticks: analysis.resolutions, series: curves.map(series), chance: chance)
            chart.frame.width = width
            chart.frame.margin.top = 30
            return element("figure", [("class", "panel")], chart.svg())
        }
        let legend = ChartLegend(entries: analysis.methods.indices.map(entry), confidence: analysis.options.confidence)
        return element("figure", [("class", "multiples")],
                       legend.svg() + element("div", [("class", "panels")], panels.joined())
                       + element("figcaption", [], escapeHTML(caption)))
            + element("details", [], element("summary", [], "Numbers") + numbersTable())
    }

    /// The legend entry of the i-th method: its colour, marker and line style in every panel.
    private func entry(_ index: Int) -> ChartLegend.Entry {
        let method = analysis.methods[index]
        return ChartLegend.Entry(label: method.label, colour: Palette.line(index),
                                 dash: method.antialias ? "" : "6 3", shape: MarkerShape(index))
    }

    private func series(_ curve: Curve) -> LineChart.Series {
        let index = analysis.methods.firstIndex(of: curve.key.method)!
        let style = entry(index)
        var values: [Double?] = [], bands: [Interval?] = [], tooltips: [String] = []
        var gaps: [(index: Int, reason: String)] = []
        for (i, resolution) in analysis.resolutions.enumerated() {
            let cell = curve.cell(at: resolution)
            values.append(cell?.mean)
            bands.append(cell?.interval)
            tooltips.append(cell.map { tooltip(curve, $0) } ?? "")
            if let reason = cell?.cannotRun { gaps.append((i, reason)) }
        }
        var markers: [LineChart.Marker] = []
        if let i = analysis.resolutions.firstIndex(of: curve.key.trainResolution), let value = values[i] {
            markers.append(.init(kind: .training, index: i, value: value, tooltip: "\(curve.key.label): trained at \(curve.key.trainResolution) px"))
        }
        for cell in supportedDrops(curve) {
            guard let mean = cell.mean, let i = analysis.resolutions.firstIndex(of: cell.testResolution) else { continue }
            markers.append(.init(kind: .drop, index: i, value: mean, tooltip: "\(curve.key.label): drops at \(cell.testResolution) px (\(percent(mean)); the paired test against the peak supports it)"))
        }
        return LineChart.Series(label: curve.key.label, colour: style.colour, dash: style.dash, shape: style.shape,
                                values: values, bands: bands, tooltips: tooltips, markers: markers, gaps: gaps, legendIndex: index)
    }

    /// The drop points (below and above the peak) that the paired test against the peak supports,
    /// as the findings call them.
    private func supportedDrops(_ curve: Curve) -> [Cell] {
        let tests = analysis.curveTests[curve.key]!  // Analysis tests every curve.
        return [(CurveTests.Name.below, curve.lowDrop), (.above, curve.highDrop)].compactMap { side, index in
            guard let index, tests.supportsDrop(side, alpha: analysis.options.alpha) else { return nil }
            return curve.cells[index]
        }
    }

    private var caption: String {
        "One chart per trained model; colour, marker and line style = resize method, the same in every chart (click a legend entry to hide a method everywhere). Bands: \(Int(analysis.options.confidence * 100))% interval (t-interval over ≥ 3 seeds, else Wilson over the pooled test images). Arrows mark the drop points that the paired test against the peak supports (see Findings). Hover a point for its numbers."
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
            let drops = supportedDrops(curve).map(\.testResolution)
            return [.text(curve.key.modelLabel), .text(curve.key.method.label)] + analysis.resolutions.map { resolution in
                guard let cell = curve.cell(at: resolution) else { return "" }
                if let reason = cell.cannotRun { return TableCell("cannot run", className: "broken", title: reason) }
                return TableCell(escapeHTML(cellText(cell)), className: drops.contains(resolution) ? "drop" : nil)
            }
        }
        return element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers"))
    }
}
