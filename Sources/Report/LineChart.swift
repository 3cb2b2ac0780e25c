import Foundation
import Stats

/// An SVG line chart of values in 0...1 against integer ticks (test resolutions on a log₂ scale,
/// or epochs on a linear one): a line, interval band and point markers per series, the training
/// resolution (open circle) and supported drops (arrow) marked, "×" at the foot of the plot where
/// a series cannot run, an optional chance line, and a title above the plot. The legend is a
/// separate `ChartLegend`, so that small multiples share one; `data-series` ties a series to its
/// legend entry.
struct LineChart {
    struct Series {
        var label: String
        var colour: String
        var dash: String
        var shape: MarkerShape
        /// Value per tick; nil where there is none (not run, or cannot run).
        var values: [Double?]
        /// Interval per tick, drawn as a band.
        var bands: [Interval?]
        /// Hover text per tick.
        var tooltips: [String]
        var markers: [Marker] = []
        /// (tick index, reason) where this series cannot run.
        var gaps: [(index: Int, reason: String)] = []
        /// The legend entry (`data-series`) this series belongs to.
        var legendIndex: Int
    }

    struct Marker {
        enum Kind { case training, drop }
        var kind: Kind
        var index: Int
        var value: Double
        var tooltip: String
    }

    var label: String
    /// Drawn above the plot (a panel's model), if any.
    var title: String?
    var ticks: [Int]
    var logScale = true
    var series: [Series]
    /// The accuracy of guessing (1 / classes), drawn as a dashed line.
    var chance: Double?
    var frame = ChartFrame(plotHeight: 340, margin: (left: 58, right: 18, top: 14, bottom: 46),
                           xTitle: "test resolution (px, log scale)", yTitle: "top-1 accuracy")
    /// Labels of the y grid: percentages, or plain numbers for a loss scaled to 0...1.
    var yLabels: [String] = (0...5).map { "\($0 * 20)%" }

    private var x: LinearScale { frame.xScale(ticks.map(position), minimumPad: logScale ? 0.15 : 0.5) }

    private func position(_ tick: Int) -> Double { logScale ? log2(Double(tick)) : Double(tick) }

    private var y: LinearScale { frame.yScale(0, 1) }

    func svg() -> String {
        let body = axes() + (chance.map(chanceLine) ?? "") + series.map(seriesGroup).joined()
        return SVG.document(width: frame.width, height: frame.height, label: label, body)
    }

    private func xPosition(_ index: Int) -> Double { x(position(ticks[index])) }

    private func axes() -> String {
        var parts = [frame.horizontalGrid(yLabels.enumerated().map { (Double($0.offset) / Double(yLabels.count - 1), $0.element) }, y: y)]
        parts.append(frame.xTicks(ticks.indices.map { (xPosition($0), String(ticks[$0])) }, axis: y(0)))
        parts.append(SVG.line(frame.left, y(0), frame.right, y(0), className: "axis"))
        parts.append(SVG.line(frame.left, y(0), frame.left, y(1), className: "axis"))
        parts.append(frame.titles())
        if let title { parts.append(SVG.text(frame.left, frame.top - 8, title, anchor: "start", className: "panel-title")) }
        return parts.joined()
    }

    private func chanceLine(_ chance: Double) -> String {
        let py = y(chance)
        return SVG.group([("class", "chance")],
            SVG.line(frame.left, py, frame.right, py, className: "chance-line")
            + SVG.text(frame.right - 4, py - 4, "chance \(percent(chance))", anchor: "end", className: "chance-text")
            + SVG.tooltip("Chance: the accuracy of guessing among the classes (\(percent(chance)))"))
    }

    /// Consecutive runs of tick indices where `present` holds: lines and bands break at gaps.
    private func runs(_ present: (Int) -> Bool) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        for index in ticks.indices {
            if present(index) { current.append(index) } else if !current.isEmpty { result.append(current); current = [] }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private func seriesGroup(_ s: Series) -> String {
        var parts: [String] = []
        for run in runs({ s.bands[$0] != nil }) {
            let upper = run.map { (xPosition($0), y(s.bands[$0]!.upper)) }
            let lower = run.reversed().map { (xPosition($0), y(s.bands[$0]!.lower)) }
            parts.append(SVG.path(upper + lower, close: true, attributes: [("class", "band"), ("fill", s.colour)]))
        }
        for run in runs({ s.values[$0] != nil }) where run.count > 1 {
            var attributes = [("class", "line"), ("stroke", s.colour)]
            if !s.dash.isEmpty { attributes.append(("stroke-dasharray", s.dash)) }
            parts.append(SVG.path(run.map { (xPosition($0), y(s.values[$0]!)) }, attributes: attributes))
        }
        for i in ticks.indices {
            guard let value = s.values[i] else { continue }
            parts.append(s.shape.svg(xPosition(i), y(value), size: 7, colour: s.colour))
            parts.append(SVG.circle(xPosition(i), y(value), radius: 6, attributes: [("class", "hit")], title: s.tooltips[i]))
        }
        for marker in s.markers { parts.append(markerShape(marker, colour: s.colour)) }
        for gap in s.gaps {
            parts.append(SVG.group([("class", "gap")],
                SVG.text(xPosition(gap.index), y(0) - 4, "×", className: "gap-mark", fill: s.colour)
                + SVG.tooltip("\(s.label) cannot run at \(ticks[gap.index]) px: \(gap.reason)")))
        }
        return SVG.group([("class", "series"), ("data-series", String(s.legendIndex))], parts.joined())
    }

    private func markerShape(_ marker: Marker, colour: String) -> String {
        let (px, py) = (xPosition(marker.index), y(marker.value))
        switch marker.kind {
        case .training:
            return SVG.circle(px, py, radius: 7, attributes: [("class", "train-mark"), ("stroke", colour)], title: marker.tooltip)
        case .drop:
            return ChartLegend.dropArrow(px, py - 9, title: marker.tooltip)
        }
    }
}

/// The legend of one or more line charts: per series its line, colour and marker (a click hides
/// or shows the series in every chart of the figure), then a key to the other marks.
struct ChartLegend {
    struct Entry {
        var label: String
        var colour: String
        var dash: String
        var shape: MarkerShape
    }

    var entries: [Entry]
    var width = 1000.0
    /// Whether the charts draw a chance line, training circles, drop arrows, gaps and bands.
    var key = true
    /// The level of the bands, for the key.
    var confidence = 0.95

    private let row = 20.0, left = 16.0
    /// Column width: the longest label at ~6.8 px a character plus the line sample.
    private var column: Double { 52 + 6.8 * Double(entries.map(\.label.count).max() ?? 10) }
    private var columns: Int { max(1, Int((width - left) / column)) }
    private var rows: Int { (entries.count + columns - 1) / columns }

    func svg() -> String {
        var parts: [String] = []
        for (index, entry) in entries.enumerated() {
            let lx = left + Double(index % columns) * column, ly = 12 + Double(index / columns) * row
            var attributes = [("class", "line"), ("stroke", entry.colour)]
            if !entry.dash.isEmpty { attributes.append(("stroke-dasharray", entry.dash)) }
            let sample = SVG.path([(lx, ly), (lx + 30, ly)], attributes: attributes)
                + entry.shape.svg(lx + 15, ly, size: 8, colour: entry.colour)
            let text = SVG.text(lx + 38, ly + 4, entry.label, anchor: "start", className: "legend-text")
            parts.append(SVG.group([("class", "legend-item"), ("data-series", String(index))],
                                   sample + text + SVG.tooltip("Click to hide or show \(entry.label)")))
        }
        var height = 12 + Double(rows) * row
        if key {
            let ky = height + 2
            parts.append(SVG.circle(left + 6, ky, radius: 6, attributes: [("class", "train-mark"), ("stroke", "#555")]))
            parts.append(SVG.text(left + 18, ky + 4, "training resolution", anchor: "start", className: "legend-text"))
            parts.append(Self.dropArrow(left + 150, ky + 6, title: nil))
            parts.append(SVG.text(left + 160, ky + 4, "drop the paired test supports", anchor: "start", className: "legend-text"))
            parts.append(SVG.text(left + 356, ky + 5, "×", className: "gap-mark"))
            parts.append(SVG.text(left + 366, ky + 4, "cannot run", anchor: "start", className: "legend-text"))
            parts.append(SVG.rect(left + 446, ky - 6, 22, 12, attributes: [("class", "band"), ("fill", "#555")]))
            parts.append(SVG.text(left + 474, ky + 4, "\(Int((confidence * 100).rounded()))% interval", anchor: "start", className: "legend-text"))
            parts.append(SVG.line(left + 570, ky, left + 600, ky, className: "chance-line"))
            parts.append(SVG.text(left + 606, ky + 4, "chance (1 / classes)", anchor: "start", className: "legend-text"))
            height += row
        }
        return SVG.document(width: width, height: height, label: "Legend", parts.joined())
    }

    /// A downward arrow whose tip is at (x, y): a drop the paired test supports.
    static func dropArrow(_ x: Double, _ y: Double, title: String?) -> String {
        SVG.path([(x, y), (x - 5, y - 7), (x - 1.6, y - 7), (x - 1.6, y - 14), (x + 1.6, y - 14), (x + 1.6, y - 7), (x + 5, y - 7)],
                 close: true, attributes: [("class", "drop-mark")], title: title)
    }
}
