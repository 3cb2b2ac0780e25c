import Foundation
import Stats

/// An SVG grouped bar chart of signed differences (in accuracy fractions, labelled in points):
/// one cluster per category, one bar per group, a whisker for each bar's interval, and a zero
/// line. Solid bars are differences the paired test supports; outlined bars are not.
struct BarChart {
    struct Bar {
        var value: Double
        var interval: Interval?
        var solid: Bool
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
    var xTitle = "test resolution (px)"
    var yTitle = "difference (points)"
    var width = 1000.0
    var plotHeight = 200.0

    private let margin = (left: 58.0, right: 12.0, top: 12.0, bottom: 40.0)

    func svg() -> String {
        let values = groups.flatMap { $0.bars.compactMap { $0 } }.flatMap { bar in
            [bar.value] + (bar.interval.map { [$0.lower, $0.upper] } ?? [])
        }
        let extent = max(0.02, values.map(abs).max() ?? 0) * 1.1
        let y = LinearScale(domain: (-extent, extent), range: (margin.top + plotHeight, margin.top))
        let slot = (width - margin.left - margin.right) / Double(max(1, categories.count))
        let barWidth = min(18, slot * 0.8 / Double(max(1, groups.count)))
        var parts: [String] = []
        let step = niceStep(extent)
        var tick = -(extent / step).rounded(.down) * step
        while tick <= extent {
            parts.append(SVG.line(margin.left, y(tick), width - margin.right, y(tick), className: tick == 0 ? "axis" : "grid"))
            parts.append(SVG.text(margin.left - 6, y(tick) + 4, points(tick), anchor: "end", className: "tick"))
            tick += step
        }
        for (c, category) in categories.enumerated() {
            let centre = margin.left + (Double(c) + 0.5) * slot
            parts.append(SVG.text(centre, margin.top + plotHeight + 16, category, className: "tick"))
            for (g, group) in groups.enumerated() {
                guard let bar = group.bars[c] else { continue }
                let x = centre + (Double(g) - Double(groups.count) / 2) * barWidth
                let top = min(y(bar.value), y(0)), height = abs(y(bar.value) - y(0))
                let style: [(String, String)] = bar.solid
                    ? [("fill", group.colour), ("stroke", group.colour)]
                    : [("fill", "none"), ("stroke", group.colour), ("class", "hollow")]
                parts.append(SVG.rect(x + 1, top, barWidth - 2, max(height, 1), attributes: style, title: bar.tooltip))
                if let interval = bar.interval {
                    parts.append(SVG.line(x + barWidth / 2, y(interval.lower), x + barWidth / 2, y(interval.upper), className: "whisker"))
                }
            }
        }
        parts.append(SVG.text((margin.left + width - margin.right) / 2, margin.top + plotHeight + 34, xTitle, className: "axis-title"))
        parts.append(SVG.text(14, margin.top + plotHeight / 2, yTitle, className: "axis-title", rotate: -90))
        return SVG.document(width: width, height: margin.top + plotHeight + margin.bottom, label: label, parts.joined())
    }

    /// A round grid step (1, 2 or 5 × 10ᵏ) giving about 3 lines each side of zero.
    private func niceStep(_ extent: Double) -> Double {
        let raw = extent / 3
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let candidates = [1.0, 2, 5, 10].map { $0 * magnitude }
        return candidates.first { $0 >= raw } ?? raw
    }
}
