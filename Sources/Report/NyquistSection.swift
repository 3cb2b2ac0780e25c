import Foundation

/// "Content above Nyquist": the Nyquist budget of the test images drawn on the accuracy chart's
/// x axis, with each trained model's accuracy under the reference method on the same 0–100%
/// scale, so the downscaling drop can be read against the content lost before any network ran.
/// Absent when the run stored no budget.
struct NyquistSection {
    let analysis: Analysis

    func html() -> String? {
        guard let budget = analysis.data.nyquist, !budget.points.isEmpty else { return nil }
        let reference = analysis.methods.first.map(\.label) ?? "the reference method"
        let intro = "The share of the test images’ contrast energy (Σ (x − mean)²) at frequencies a grid of the test size cannot hold: at or above its Nyquist limit, from each image’s 2-D DCT (mean over \(budget.images) test images of median size \(budget.medianWidth)×\(budget.medianHeight) px). Every resize method loses it: an antialiasing one removes it, a point-sampling one folds it back as false detail. It is known before any training."
        let figure = element("figure", [], chart(budget).svg()
            + element("figcaption", [], escapeHTML("Grey: share above Nyquist (line: mean; band: the middle half of the images). Coloured: top-1 accuracy with \(reference), one line per trained model.")))
        return element("p", [], escapeHTML(intro)) + figure + table(budget)
    }

    private func chart(_ budget: NyquistBudget) -> BudgetChart {
        let curves = analysis.referenceCurves
        let accuracy = curves.enumerated().map { index, curve in
            BudgetChart.Line(label: curve.key.modelLabel, colour: Palette.line(index),
                             points: curve.cells.compactMap { cell in cell.mean.map { (cell.testResolution, $0) } })
        }
        return BudgetChart(label: "Share of the test images' energy above Nyquist, and accuracy, against test resolution",
                           resolutions: (analysis.resolutions + budget.points.map(\.resolution)).uniqued().sorted(),
                           budget: budget.points, accuracy: accuracy)
    }

    private func table(_ budget: NyquistBudget) -> String {
        let curves = analysis.referenceCurves
        let header = ["test size", "above Nyquist (mean)", "middle half of images"] + curves.map { "\($0.key.modelLabel) top-1" }
        let rows = budget.points.map { point -> [TableCell] in
            [.text("\(point.resolution) px"), .text(percent(point.mean)),
             .text(percentRange(point.lowerQuartile, point.upperQuartile))]
                + curves.map { curve in .text(curve.cell(at: point.resolution)?.mean.map(percent) ?? "—") }
        }
        return element("details", [], element("summary", [], "Numbers")
            + element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers")))
    }
}

/// A 0–100% chart on a log₂ resolution axis: the Nyquist budget as a grey line with its quartile
/// band, and accuracy lines over it.
struct BudgetChart {
    struct Line {
        var label: String
        var colour: String
        /// (resolution, accuracy) in ascending resolution.
        var points: [(Int, Double)]
    }

    var label: String
    var resolutions: [Int]
    var budget: [NyquistBudget.Point]
    var accuracy: [Line]
    var frame = ChartFrame(plotHeight: 260, margin: (left: 58, right: 18, top: 14, bottom: 46),
                           xTitle: "test resolution (px, log scale)", yTitle: "share / top-1")

    private let budgetColour = "#7f7f7f"
    private let legendRow = 18.0

    private var x: LinearScale { frame.xScale(resolutions.map { log2(Double($0)) }, minimumPad: 0.15) }

    private func xPosition(_ resolution: Int) -> Double { x(log2(Double(resolution))) }

    func svg() -> String {
        let y = frame.yScale(0, 1)
        var parts = [frame.horizontalGrid((0...5).map { (Double($0) / 5, "\($0 * 20)%") }, y: y)]
        parts.append(frame.xTicks(resolutions.map { (xPosition($0), String($0)) }, axis: y(0)))
        parts.append(SVG.line(frame.left, y(0), frame.right, y(0), className: "axis"))
        parts.append(frame.titles())
        let upper = budget.map { (xPosition($0.resolution), y($0.upperQuartile)) }
        let lower = budget.reversed().map { (xPosition($0.resolution), y($0.lowerQuartile)) }
        parts.append(SVG.path(upper + lower, close: true, attributes: [("class", "band"), ("fill", budgetColour)]))
        parts.append(SVG.path(budget.map { (xPosition($0.resolution), y($0.mean)) },
                              attributes: [("class", "line"), ("stroke", budgetColour), ("stroke-width", "3")]))
        for point in budget {
            parts.append(SVG.circle(xPosition(point.resolution), y(point.mean), radius: 6, attributes: [("class", "hit")],
                                    title: "\(point.resolution) px: \(percent(point.mean)) of the energy above Nyquist (middle half \(percentRange(point.lowerQuartile, point.upperQuartile)))"))
        }
        for line in accuracy {
            parts.append(SVG.path(line.points.map { (xPosition($0.0), y($0.1)) }, attributes: [("class", "line"), ("stroke", line.colour)]))
            for (resolution, value) in line.points {
                parts.append(SVG.circle(xPosition(resolution), y(value), radius: 2.5, attributes: [("fill", line.colour)],
                                        title: "\(line.label) at \(resolution) px: \(percent(value))"))
            }
        }
        let entries = [("above Nyquist", budgetColour)] + accuracy.map { ($0.label, $0.colour) }
        for (index, entry) in entries.enumerated() {
            let ly = frame.height + Double(index) * legendRow
            parts.append(SVG.path([(frame.left, ly), (frame.left + 26, ly)], attributes: [("class", "line"), ("stroke", entry.1)]))
            parts.append(SVG.text(frame.left + 32, ly + 4, entry.0, anchor: "start", className: "legend-text"))
        }
        return SVG.document(width: frame.width, height: frame.height + Double(entries.count) * legendRow + 4, label: label, parts.joined())
    }
}

/// "20.0–34.0%": a range of fractions as percentages, the sign once at the end.
func percentRange(_ lower: Double, _ upper: Double) -> String { "\(fixed(100 * lower, 1))–\(percent(upper))" }
