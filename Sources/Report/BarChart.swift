import Foundation
import Stats

/// An SVG grouped bar chart of signed differences (in accuracy fractions, labelled in points):
/// one cluster per category, one bar per group, and a zero line. Each bar's interval is an
/// I-shaped whisker (a vertical line with 8-unit caps at its ends). Significant bars are solid
/// and carry a "∗" beyond the whisker's far end; the others are outlined.
struct BarChart {
    struct Bar {
        var value: Double
        var interval: Interval?
        var significant: Bool
        var tooltip: String
    }

    struct Group {
        var label: String
        var colour: String
        var bars: [Bar?]
    }

    var label: String
    var categories: [String]
    var groups: [Group]
    var frame = ChartFrame(plotHeight: 200, margin: (left: 58, right: 12, top: 16, bottom: 42),
                           xTitle: "test resolution (px)", yTitle: "difference (points)")

    /// Half the width of a whisker's caps.
    private let cap = 4.0

    /// The y scale: symmetric about 0, reaching 15% past the largest |value| or interval end
    /// (at least ±2 points) so the "∗" marks fit.
    var y: LinearScale {
        let values = groups.flatMap { $0.bars.compactMap { $0 } }.flatMap { bar in
            [bar.value] + (bar.interval.map { [$0.lower, $0.upper] } ?? [])
        }
        let extent = max(0.02, values.map(abs).max() ?? 0) * 1.15
        return frame.yScale(-extent, extent)
    }

    func svg() -> String {
        let y = self.y
        let extent = y.domain.1
        let slot = (frame.right - frame.left) / Double(max(1, categories.count))
        let barWidth = min(18, slot * 0.8 / Double(max(1, groups.count)))
        let step = niceStep(extent)
        let count = Int((extent / step).rounded(.down))
        var parts = [frame.horizontalGrid((-count...count).map { (Double($0) * step, points(Double($0) * step)) }, y: y, axis: 0)]
        for (c, category) in categories.enumerated() {
            let centre = frame.left + (Double(c) + 0.5) * slot
            parts.append(frame.xLabel(centre, category))
            for (g, group) in groups.enumerated() {
                guard let bar = group.bars[c] else { continue }
                let x = centre + (Double(g) - Double(groups.count) / 2) * barWidth
                let top = min(y(bar.value), y(0)), height = abs(y(bar.value) - y(0))
                let style: [(String, String)] = bar.significant
                    ? [("fill", group.colour), ("stroke", group.colour)]
                    : [("fill", "none"), ("stroke", group.colour), ("class", "hollow")]
                parts.append(SVG.rect(x + 1, top, barWidth - 2, max(height, 1), attributes: style, title: bar.tooltip))
                let middle = x + barWidth / 2
                if let interval = bar.interval {
                    let (low, high) = (y(interval.lower), y(interval.upper))
                    parts.append(SVG.segments([((middle, low), (middle, high)), ((middle - cap, low), (middle + cap, low)),
                                               ((middle - cap, high), (middle + cap, high))], className: "whisker"))
                }
                if bar.significant {
                    // Beyond the end away from zero: above a gain, below a loss.
                    let far = bar.value >= 0 ? y(max(bar.value, bar.interval?.upper ?? bar.value)) - 3
                        : y(min(bar.value, bar.interval?.lower ?? bar.value)) + 11
                    parts.append(SVG.text(middle, far, "∗", className: "significance"))
                }
            }
        }
        parts.append(frame.titles())
        return SVG.document(width: frame.width, height: frame.height, label: label, parts.joined())
    }

    /// The round grid step (1, 2 or 5 × 10ᵏ) nearest, on a log scale, to a third of `extent`:
    /// about 3 lines each side of zero.
    private func niceStep(_ extent: Double) -> Double {
        let raw = extent / 3
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        return [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(log($0 / raw)) < abs(log($1 / raw)) }!
    }
}
