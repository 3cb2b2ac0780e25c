/// The frame the line and bar charts draw their data in: a plot area inside margins, horizontal
/// grid lines with their value labels on the left, labels under the plot and the two axis titles.
///
///     margin.top
///     y labels | plot area, plotHeight high, from left to right     | margin.right
///              | x labels at bottom + 16, x title at bottom + 35
///     margin.bottom (below the plot; a chart may add a legend under it)
struct ChartFrame {
    var width = 1000.0
    var plotHeight: Double
    var margin: (left: Double, right: Double, top: Double, bottom: Double)
    var xTitle: String
    var yTitle: String

    var left: Double { margin.left }
    var right: Double { width - margin.right }
    var top: Double { margin.top }
    var bottom: Double { margin.top + plotHeight }
    /// The plot with its margins.
    var height: Double { bottom + margin.bottom }

    /// The y scale over `low...high`, `low` at the bottom of the plot.
    func yScale(_ low: Double, _ high: Double) -> LinearScale {
        LinearScale(domain: (low, high), range: (bottom, top))
    }

    /// Per tick a grid line across the plot and its label left of it; the tick at `axis` (if
    /// any) is drawn as the axis.
    func horizontalGrid(_ ticks: [(value: Double, label: String)], y: LinearScale, axis: Double? = nil) -> String {
        ticks.map { tick in
            SVG.line(left, y(tick.value), right, y(tick.value), className: tick.value == axis ? "axis" : "grid")
                + SVG.text(left - 6, y(tick.value) + 4, tick.label, anchor: "end", className: "tick")
        }.joined()
    }

    /// The x scale over tick `positions`, padded at each end by 4% of their span or `minimumPad`,
    /// whichever is more.
    func xScale(_ positions: [Double], minimumPad: Double) -> LinearScale {
        let low = positions.min() ?? 0, high = positions.max() ?? 1
        let pad = max(minimumPad, (high - low) * 0.04)
        return LinearScale(domain: (low - pad, high + pad), range: (left, right))
    }

    /// A tick mark down from `axis` (the x axis's y) at each tick, ascending, with its label; labels
    /// that would collide (about 26 px per label) are thinned out.
    func xTicks(_ ticks: [(x: Double, label: String)], axis: Double) -> String {
        var parts: [String] = [], lastLabelled = -Double.infinity
        for tick in ticks {
            parts.append(SVG.line(tick.x, axis, tick.x, axis + 4, className: "axis"))
            if tick.x - lastLabelled >= 26 {
                parts.append(xLabel(tick.x, tick.label))
                lastLabelled = tick.x
            }
        }
        return parts.joined()
    }

    /// A label under the plot, centred on `x`.
    func xLabel(_ x: Double, _ text: String) -> String {
        SVG.text(x, bottom + 16, text, className: "tick")
    }

    /// The x title centred under the x labels and the y title turned along the left edge.
    func titles() -> String {
        SVG.text((left + right) / 2, bottom + 35, xTitle, className: "axis-title")
            + SVG.text(14, top + plotHeight / 2, yTitle, className: "axis-title", rotate: -90)
    }
}
