/// An SVG heatmap: a grid of cells coloured on the viridis scale with optional text, row labels
/// on the left and column labels on top. Used for train × test accuracy, per-class accuracy and
/// confusion matrices.
struct Heatmap {
    var label: String
    var rowTitle: String
    var columnTitle: String
    var rowLabels: [String]
    var columnLabels: [String]
    /// Colour position in [0, 1] per cell (row-major, rows × columns); nil draws an empty cell.
    var shades: [[Double?]]
    /// Text written in each cell (may be empty).
    var texts: [[String]]
    var tooltips: [[String]]
    /// (row, column) of cells drawn with a black outline.
    var outlined: [(row: Int, column: Int)] = []
    var cellWidth = 38.0
    var cellHeight = 22.0

    /// Labels longer than this are cut with "…" (the tooltip keeps them whole).
    private static let maxLabel = 22

    private static func short(_ label: String) -> String {
        label.count <= maxLabel ? label : String(label.prefix(maxLabel - 1)) + "…"
    }

    func svg() -> String {
        let longest = rowLabels.map { Heatmap.short($0).count }.max() ?? 0
        let left = max(Double(longest) * 6.6, Double(rowTitle.count) * 6.2) + 16
        // Column labels wider than a cell are written at −50° and need room above the grid.
        let widest = columnLabels.map { Heatmap.short($0).count }.max() ?? 0
        let slanted = Double(widest) * 6.6 > cellWidth
        let top = slanted ? 30 + Double(widest) * 5.2 : 40.0
        let width = left + Double(columnLabels.count) * cellWidth + 8
        let height = top + Double(rowLabels.count) * cellHeight + 8
        var parts: [String] = []
        parts.append(SVG.text(left + Double(columnLabels.count) * cellWidth / 2, 12, columnTitle, className: "axis-title"))
        parts.append(SVG.text(left - 6, top - 6, rowTitle, anchor: "end", className: "axis-title"))
        for (c, label) in columnLabels.enumerated() {
            let x = left + (Double(c) + 0.5) * cellWidth
            parts.append(slanted
                ? SVG.text(x + 3, top - 6, Heatmap.short(label), anchor: "start", className: "tick", rotate: -50)
                : SVG.text(x, top - 6, Heatmap.short(label), className: "tick"))
        }
        for (r, label) in rowLabels.enumerated() {
            let cy = top + Double(r) * cellHeight
            parts.append(SVG.group([], SVG.text(left - 6, cy + cellHeight / 2 + 4, Heatmap.short(label), anchor: "end", className: "tick") + SVG.tooltip(label)))
            for c in columnLabels.indices {
                let cx = left + Double(c) * cellWidth
                let text = texts[r][c]
                guard let shade = shades[r][c] else {
                    parts.append(SVG.rect(cx, cy, cellWidth, cellHeight, attributes: [("class", "empty-cell")], title: tooltips[r][c]))
                    if !text.isEmpty {
                        parts.append(SVG.text(cx + cellWidth / 2, cy + cellHeight / 2 + 4, text, className: "cell-text muted"))
                    }
                    continue
                }
                parts.append(SVG.rect(cx, cy, cellWidth, cellHeight, attributes: [("fill", Palette.sequential(shade)), ("class", "cell")], title: tooltips[r][c]))
                if !text.isEmpty {
                    parts.append(SVG.text(cx + cellWidth / 2, cy + cellHeight / 2 + 4, text, className: "cell-text",
                                          fill: Palette.textOnSequential(shade)))
                }
            }
        }
        for cell in outlined {
            parts.append(SVG.rect(left + Double(cell.column) * cellWidth + 1, top + Double(cell.row) * cellHeight + 1,
                                  cellWidth - 2, cellHeight - 2, attributes: [("class", "highlight")]))
        }
        return SVG.document(width: width, height: height, label: label, parts.joined())
    }
}
