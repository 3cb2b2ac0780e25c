/// "Train × test resolution": for each model trained at several resolutions, a heatmap of
/// accuracy (reference method) with a row per training and a column per test resolution.
struct TrainTestSection {
    let analysis: Analysis

    /// nil when no model was trained at more than one resolution.
    func html() -> String? {
        let curves = analysis.referenceCurves
        let models = curves.map(\.key.model).uniqued().filter { model in curves.filter { $0.key.model == model }.count > 1 }
        guard !models.isEmpty else { return nil }
        return models.map { model in
            let rows = curves.filter { $0.key.model == model }
            let values = rows.map { curve in analysis.resolutions.map { curve.cell(at: $0)?.mean } }
            let heatmap = Heatmap(
                label: "Accuracy of \(model) by training and test resolution",
                rowTitle: "trained at (px)", columnTitle: "tested at (px)",
                rowLabels: rows.map { String($0.key.trainResolution) },
                columnLabels: analysis.resolutions.map(String.init),
                shades: values,
                texts: values.map { $0.map { $0.map { fixed(100 * $0, 0) } ?? "" } },
                tooltips: zip(rows, values).map { curve, row in
                    zip(analysis.resolutions, row).map { resolution, value in
                        "trained \(curve.key.trainResolution) px, tested \(resolution) px: " + (value.map(percent) ?? (curve.cell(at: resolution)?.cannotRun ?? "not run"))
                    }
                },
                outlined: rows.enumerated().compactMap { row, curve in
                    analysis.resolutions.firstIndex(of: curve.key.trainResolution).map { (row, $0) }
                })
            return element("h3", [], escapeHTML(model)) + element("figure", [], heatmap.svg()
                + element("figcaption", [], "Top-1 accuracy (%) with \(escapeHTML(analysis.methods[0].label)); outlined cells test at the training resolution; empty cells cannot run."))
        }.joined()
    }
}
