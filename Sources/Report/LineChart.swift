import Foundation
import Stats

/// An SVG line chart of accuracy against test resolution: x on a log₂ scale with a tick per
/// tested resolution, y from 0 to 100%, a line and interval band per series, markers for the
/// training resolution (open circle) and drop points (filled triangle), "×" at the foot of the
/// plot where a series cannot run, and a legend whose entries a script may use as toggles.
struct LineChart {
    struct Series {
        var label: String
        var colour: String
        var dash: String
        /// Accuracy per x tick; nil where there is none (not run, or cannot run).
        var values: [Double?]
        /// Interval per x tick, drawn as a band.
        var bands: [Interval?]
        /// Hover text per x tick.
        var tooltips: [String]
        var markers: [Marker] = []
        /// (x tick index, reason) where this series cannot run.
        var gaps: [(index: Int, reason: String)] = []
    }

    struct Marker {
        enum Kind { case training, drop }
        var kind: Kind
        var index: Int
        var value: Double
        var tooltip: String
    }

    var label: String
    var resolutions: [Int]
    var series: [Series]
    var frame = ChartFrame(plotHeight: 340, margin: (left: 58, right: 18, top: 14, bottom: 46),
                           xTitle: "test resolution (px, log scale)", yTitle: "top-1 accuracy")

    private let legendRow = 18.0
    /// Legend column width: the longest label at ~6.8 px a character plus the line sample.
    private var legendColumn: Double { 44 + 6.8 * Double(series.map(\.label.count).max() ?? 10) }

    private var legendColumns: Int { max(1, Int((frame.width - frame.left) / legendColumn)) }
    private var legendHeight: Double {
        Double((series.count + legendColumns - 1) / legendColumns + 1) * legendRow + 8
    }

    private var x: LinearScale {
        let logs = resolutions.map { log2(Double($0)) }
        let low = logs.min() ?? 0, high = logs.max() ?? 1
        let pad = max(0.15, (high - low) * 0.04)
        return LinearScale(domain: (low - pad, high + pad), range: (frame.left, frame.right))
    }

    private var y: LinearScale { frame.yScale(0, 1) }

    func svg() -> String {
        let body = axes() + series.enumerated().map { seriesGroup($1, index: $0) }.joined() + legend(top: frame.height)
        return SVG.document(width: frame.width, height: frame.height + legendHeight, label: label, body)
    }

    private func xPosition(_ index: Int) -> Double { x(log2(Double(resolutions[index]))) }

    private func axes() -> String {
        var parts = [frame.horizontalGrid((0...5).map { (Double($0) / 5, "\($0 * 20)%") }, y: y)]
        // Thin out tick labels that would collide (about 26 px per label).
        var lastLabelled = -Double.infinity
        for index in resolutions.indices {
            let px = xPosition(index)
            parts.append(SVG.line(px, y(0), px, y(0) + 4, className: "axis"))
            if px - lastLabelled >= 26 {
                parts.append(frame.xLabel(px, String(resolutions[index])))
                lastLabelled = px
            }
        }
        parts.append(SVG.line(frame.left, y(0), frame.right, y(0), className: "axis"))
        parts.append(SVG.line(frame.left, y(0), frame.left, y(1), className: "axis"))
        parts.append(frame.titles())
        return parts.joined()
    }

    /// Consecutive runs of tick indices where `present` holds: lines and bands break at gaps.
    private func runs(_ present: (Int) -> Bool) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        for index in resolutions.indices {
            if present(index) { current.append(index) } else if !current.isEmpty { result.append(current); current = [] }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private func seriesGroup(_ s: Series, index: Int) -> String {
        var parts: [String] = []
        for run in runs({ s.bands[$0] != nil }) {
            let upper = run.map { (xPosition($0), y(s.bands[$0]!.upper)) }
            let lower = run.reversed().map { (xPosition($0), y(s.bands[$0]!.lower)) }
            parts.append(SVG.path(upper + lower, close: true, attributes: [("class", "band"), ("fill", s.colour)]))
        }
        for run in runs({ s.values[$0] != nil }) {
            var attributes = [("class", "line"), ("stroke", s.colour)]
            if !s.dash.isEmpty { attributes.append(("stroke-dasharray", s.dash)) }
            if run.count == 1 {
                let i = run[0]
                parts.append(SVG.circle(xPosition(i), y(s.values[i]!), radius: 2.5, attributes: [("fill", s.colour)]))
            } else {
                parts.append(SVG.path(run.map { (xPosition($0), y(s.values[$0]!)) }, attributes: attributes))
            }
        }
        for i in resolutions.indices {
            guard let value = s.values[i] else { continue }
            parts.append(SVG.circle(xPosition(i), y(value), radius: 6, attributes: [("class", "hit")], title: s.tooltips[i]))
        }
        for marker in s.markers { parts.append(markerShape(marker, colour: s.colour)) }
        for gap in s.gaps {
            parts.append(SVG.group([("class", "gap")],
                SVG.text(xPosition(gap.index), y(0) - 4, "×", className: "gap-mark", fill: s.colour)
                + SVG.tooltip("\(s.label) cannot run at \(resolutions[gap.index]) px: \(gap.reason)")))
        }
        return SVG.group([("class", "series"), ("data-series", String(index))], parts.joined())
    }

    private func markerShape(_ marker: Marker, colour: String) -> String {
        let (px, py) = (xPosition(marker.index), y(marker.value))
        switch marker.kind {
        case .training:
            return SVG.circle(px, py, radius: 5.5, attributes: [("class", "train-mark"), ("stroke", colour)], title: marker.tooltip)
        case .drop:
            let triangle = [(px - 6, py - 11), (px + 6, py - 11), (px, py - 2)]
            return SVG.path(triangle, close: true, attributes: [("class", "drop-mark"), ("fill", colour)], title: marker.tooltip)
        }
    }

    private func legend(top: Double) -> String {
        var parts: [String] = []
        for (index, s) in series.enumerated() {
            let column = Double(index % legendColumns), row = Double(index / legendColumns)
            let lx = frame.left + column * legendColumn, ly = top + row * legendRow
            var attributes = [("class", "line"), ("stroke", s.colour)]
            if !s.dash.isEmpty { attributes.append(("stroke-dasharray", s.dash)) }
            let sample = SVG.path([(lx, ly), (lx + 26, ly)], attributes: attributes)
            let text = SVG.text(lx + 32, ly + 4, s.label, anchor: "start", className: "legend-text")
            parts.append(SVG.group([("class", "legend-item"), ("data-series", String(index))], sample + text + SVG.tooltip("Click to hide or show \(s.label)")))
        }
        let keyY = top + Double((series.count + legendColumns - 1) / legendColumns) * legendRow + 4
        parts.append(SVG.circle(frame.left + 4, keyY, radius: 5, attributes: [("class", "train-mark"), ("stroke", "#555")]))
        parts.append(SVG.text(frame.left + 14, keyY + 4, "training resolution", anchor: "start", className: "legend-text"))
        parts.append(SVG.path([(frame.left + 140, keyY - 6), (frame.left + 152, keyY - 6), (frame.left + 146, keyY + 3)], close: true, attributes: [("fill", "#555")]))
        parts.append(SVG.text(frame.left + 158, keyY + 4, "drop point", anchor: "start", className: "legend-text"))
        parts.append(SVG.text(frame.left + 240, keyY + 5, "×", className: "gap-mark"))
        parts.append(SVG.text(frame.left + 250, keyY + 4, "cannot run", anchor: "start", className: "legend-text"))
        parts.append(SVG.rect(frame.left + 330, keyY - 6, 22, 12, attributes: [("class", "band"), ("fill", "#555")]))
        parts.append(SVG.text(frame.left + 358, keyY + 4, "95% interval", anchor: "start", className: "legend-text"))
        return parts.joined()
    }
}
