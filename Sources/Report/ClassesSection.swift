/// "Per class": for each trained model (reference method), accuracy per class across test
/// resolutions as a heatmap, and confusion matrices at the training resolution and at the first
/// drop point, counting over all seeds.
struct ClassesSection {
    let analysis: Analysis

    func html() -> String? {
        let classes = analysis.data.classNames
        guard !classes.isEmpty, !analysis.data.testLabels.isEmpty else { return nil }
        let parts = analysis.referenceCurves.compactMap { curve -> String? in
            let perClass = analysis.resolutions.map { curve.cell(at: $0).flatMap(classAccuracy) }
            guard perClass.contains(where: { $0 != nil }) else { return nil }
            let values = classes.indices.map { c in perClass.map { $0?[c] } }
            let heatmap = Heatmap(
                label: "Per-class accuracy of \(curve.key.label)", rowTitle: "class", columnTitle: "test resolution (px)",
                rowLabels: classes, columnLabels: analysis.resolutions.map(String.init), shades: values,
                texts: values.map { $0.map { $0.map { fixed(100 * $0, 0) } ?? "" } },
                tooltips: classes.indices.map { c in
                    analysis.resolutions.indices.map { r in "\(classes[c]) at \(analysis.resolutions[r]) px: " + (values[c][r].map(percent) ?? "—") }
                })
            var html = element("h3", [], escapeHTML(curve.key.label)) + element("figure", [], heatmap.svg()
                + element("figcaption", [], "Accuracy per class (%), all seeds pooled."))
            var shown: [Int] = []
            for (title, resolution) in [("training resolution", curve.key.trainResolution),
                                        ("first drop point", (curve.lowDrop ?? curve.highDrop).map { curve.cells[$0].testResolution })] {
                guard let resolution, !shown.contains(resolution), let cell = curve.cell(at: resolution),
                      let matrix = confusion(cell) else { continue }
                shown.append(resolution)
                html += element("figure", [("class", "inline")], confusionMap(matrix, title: "\(curve.key.label) at \(resolution) px") + element("figcaption", [], "Confusion at the \(title), \(resolution) px: rows are true classes, columns predictions; shade = share of the row."))
            }
            return html
        }
        return parts.isEmpty ? nil : parts.joined()
    }

    /// counts[true][predicted] over every seed of the cell; nil without stored predictions.
    private func confusion(_ cell: Cell) -> [[Int]]? {
        let labels = analysis.data.testLabels, k = analysis.data.classNames.count
        let usable = cell.metrics.filter { $0.predicted.count == labels.count }
        guard !usable.isEmpty else { return nil }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for metrics in usable {
            for (label, guess) in zip(labels, metrics.predicted) where label >= 0 && label < k && guess >= 0 && guess < k {
                counts[label][guess] += 1
            }
        }
        return counts
    }

    private func classAccuracy(_ cell: Cell) -> [Double?]? {
        confusion(cell).map { counts in
            counts.indices.map { c in
                let total = counts[c].reduce(0, +)
                return total == 0 ? nil : Double(counts[c][c]) / Double(total)
            }
        }
    }

    private func confusionMap(_ counts: [[Int]], title: String) -> String {
        let classes = analysis.data.classNames
        let small = classes.count <= 12
        let shares = counts.map { row -> [Double?] in
            let total = row.reduce(0, +)
            return row.map { total == 0 ? nil : Double($0) / Double(total) }
        }
        let heatmap = Heatmap(
            label: "Confusion matrix of \(title)", rowTitle: "true class", columnTitle: "predicted class",
            rowLabels: classes, columnLabels: small ? classes : classes.indices.map(String.init), shades: shares,
            texts: small ? counts.map { $0.map(String.init) } : counts.map { $0.map { _ in "" } },
            tooltips: classes.indices.map { t in classes.indices.map { p in "true \(classes[t]), predicted \(classes[p]): \(counts[t][p])" } },
            cellWidth: small ? 38 : 10, cellHeight: small ? 22 : 10)
        return heatmap.svg()
    }
}
