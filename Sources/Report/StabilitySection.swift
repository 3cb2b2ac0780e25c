import Stats

/// "Stability": how often predictions change when nothing about the image's content should
/// matter. Per trained model and method: Zhang (2019)'s shift consistency at each test size (when
/// the run measured it), the share of test images whose top-1 flips between neighbouring test
/// sizes, and the test images that flip most often, with their predictions at every size.
/// Absent when no evaluation stored per-image predictions.
struct StabilitySection {
    let analysis: Analysis
    /// Images listed per trained model.
    var unstableImages = 20

    func html() -> String? {
        let flips = flipTable()
        guard !flips.isEmpty else { return nil }
        var parts: [String] = []
        if let consistency = consistencyTable() {
            parts.append(element("h3", [], "Shift consistency"))
            parts.append(element("p", [], escapeHTML("The share of test images whose top-1 is the same for two random crops of the image enlarged by 8/7, each crop the test size (Zhang 2019’s protocol, scaled from 256 → 224 px; docs/statistics.md). 100% means a shift never changes the answer; Zhang’s ImageNet ResNet-50 scores 89.2%, 91.3% with antialiased downsampling. Read it beside the accuracy: a model that answers the same few classes for every image, as one far from its training size often does, is consistent without being right.")))
            parts.append(consistency)
        }
        parts.append(element("h3", [], "Flips between neighbouring sizes"))
        parts.append(element("p", [], escapeHTML("The share of test images whose top-1 class differs between two neighbouring test sizes (mean over seeds), whether or not either is right.")))
        parts.append(flips)
        parts.append(element("h3", [], "The least stable test images"))
        parts.append(element("p", [], escapeHTML("Per trained model with \(analysis.methods.first?.label ?? "the reference method") (first seed): the \(unstableImages) test images whose prediction changes most often from one test size to the next; a wrong prediction is marked.")))
        parts.append(unstableTables())
        return parts.joined()
    }

    /// The predictions of `cell` for `seed` when stored for every test image.
    private func predictions(_ cell: Cell, seed: Int) -> [Int]? {
        guard let index = cell.seeds.firstIndex(of: seed) else { return nil }
        let predicted = cell.metrics[index].predicted
        return predicted.count == analysis.data.testLabels.count && !predicted.isEmpty ? predicted : nil
    }

    /// Mean over shared seeds of the flip rate between two cells.
    private func flipRate(_ a: Cell, _ b: Cell) -> Double? {
        let rates = a.seeds.filter { b.seeds.contains($0) }.compactMap { seed -> Double? in
            guard let x = predictions(a, seed: seed), let y = predictions(b, seed: seed) else { return nil }
            return PredictionStability.flipRate(x, y)
        }
        return rates.isEmpty ? nil : rates.reduce(0, +) / Double(rates.count)
    }

    /// One row per curve with at least one rate (a model that runs at one size only has none).
    private func flipTable() -> String {
        let pairs = zip(analysis.resolutions, analysis.resolutions.dropFirst()).map { ($0, $1) }
        let rows = analysis.curves.compactMap { curve -> [TableCell]? in
            let rates = pairs.map { low, high -> Double? in
                guard let a = curve.cell(at: low), let b = curve.cell(at: high) else { return nil }
                return flipRate(a, b)
            }
            guard rates.contains(where: { $0 != nil }) else { return nil }
            return [.text(curve.key.modelLabel), .text(curve.key.method.label)] + rates.map { $0.map { .text(percent($0)) } ?? "—" }
        }
        guard !rows.isEmpty else { return "" }
        let header = ["model", "method"] + pairs.map { "\($0.0)→\($0.1) px" }
        return element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers"))
    }

    /// Mean over seeds per curve and size; one row per curve with at least one value.
    private func consistencyTable() -> String? {
        let rows = analysis.curves.compactMap { curve -> [TableCell]? in
            let means = analysis.resolutions.map { resolution -> Double? in
                let values = curve.cell(at: resolution)?.metrics.compactMap(\.shiftConsistency) ?? []
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            }
            guard means.contains(where: { $0 != nil }) else { return nil }
            return [.text(curve.key.modelLabel), .text(curve.key.method.label)] + means.map { $0.map { .text(percent($0)) } ?? "—" }
        }
        guard !rows.isEmpty else { return nil }
        let header = ["model", "method"] + analysis.resolutions.map { "\($0) px" }
        return element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers"))
    }

    private func unstableTables() -> String {
        analysis.referenceCurves.compactMap { curve -> String? in
            let measured = curve.cells.filter { $0.mean != nil }
            guard let seed = measured.first?.seeds.first else { return nil }
            let columns = measured.compactMap { cell in predictions(cell, seed: seed).map { (cell.testResolution, $0) } }
            guard columns.count >= 2 else { return nil }
            let sequence = columns.map(\.1)
            let changes = PredictionStability.changes(sequence)
            let images = PredictionStability.mostUnstable(sequence, count: unstableImages)
            guard !images.isEmpty else { return nil }
            let labels = analysis.data.testLabels, names = analysis.data.classNames
            let className = { (c: Int) in names.indices.contains(c) ? names[c] : "class \(c)" }
            let rows = images.map { i -> [TableCell] in
                let name = analysis.data.testNames.flatMap { $0.indices.contains(i) ? $0[i] : nil } ?? "#\(i + 1)"
                return [.text(name), .text(className(labels[i])), .text(String(changes[i]))] + sequence.map { predicted in
                    TableCell(escapeHTML(className(predicted[i])), className: predicted[i] == labels[i] ? nil : "wrong")
                }
            }
            let header = ["image", "true class", "changes"] + columns.map { "\($0.0) px" }
            return element("h4", [], escapeHTML("\(curve.key.modelLabel), seed \(seed)"))
                + element("div", [("class", "scroll")], htmlTable(header: header.map(escapeHTML), rows: rows, className: "numbers"))
        }.joined()
    }
}
