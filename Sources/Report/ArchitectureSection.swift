/// "Architecture math": per trained model, a table with a row per layer and a column per test
/// resolution holding the layer's output shape. Receptive field, total stride and parameters do
/// not depend on the resolution and get their own columns; rows and columns lost to flooring are
/// noted in the cell; cells where the network breaks are marked ✗ with the reason.
struct ArchitectureSection {
    let analysis: Analysis

    func html() -> String? {
        let keys = analysis.referenceCurves.map(\.key)
        let parts = keys.compactMap { key -> String? in
            guard let model = analysis.model(named: key.model) else { return nil }
            let tables = model.architectures.filter { $0.trainResolution == key.trainResolution }
                .sorted { $0.testResolution < $1.testResolution }
            guard let base = tables.first(where: { $0.testResolution == key.trainResolution }) ?? tables.first else { return nil }
            return element("h3", [], escapeHTML(key.modelLabel))
                + element("p", [("class", "note")], escapeHTML(model.summary))
                + element("div", [("class", "scroll")], table(base: base, tables: tables))
        }
        guard !parts.isEmpty else { return nil }
        let intro = element("p", [], "Output shape (height × width × channels) of every layer at every test resolution. “−r/−c” counts input rows/columns a layer ignores because its output size is rounded down; ✗ marks where the network breaks. RF = receptive field of one output position in input pixels; stride = total stride so far.")
        return intro + parts.joined()
    }

    private func table(base: ArchitectureTable, tables: [ArchitectureTable]) -> String {
        let header = ["layer", "RF", "stride", "params"] + tables.map { "\($0.testResolution) px" }
        var rows: [[TableCell]] = base.layers.indices.map { i in
            let layer = base.layers[i]
            return [TableCell(escapeHTML(layer.layer), header: true), .text(String(layer.receptiveField)),
                    .text(String(layer.totalStride)), .text(String(layer.parameters))]
                + tables.map { cell(i < $0.layers.count ? $0.layers[i] : nil, resolution: $0.testResolution) }
        }
        rows.append([TableCell("total (FLOPs per image)", header: true), "", "", .text(String(base.layers.map(\.parameters).reduce(0, +)))]
            + tables.map { .text(siCount($0.layers.map(\.flops).reduce(0, +))) })
        return htmlTable(header: header.map(escapeHTML), rows: rows, className: "arch")
    }

    private func cell(_ layer: LayerRow?, resolution: Int) -> TableCell {
        guard let layer else { return "" }
        let shape = layer.outputShape.map(String.init).joined(separator: "×")
        if let reason = layer.breaks {
            return TableCell("✗ " + escapeHTML(shape.isEmpty ? "breaks" : shape), className: "broken", title: reason)
        }
        var html = escapeHTML(shape)
        if layer.rowsLost > 0 || layer.columnsLost > 0 {
            html += " " + element("span", [("class", "lost")], "−\(layer.rowsLost)r/−\(layer.columnsLost)c")
        }
        let tiny = layer.outputShape.count == 3 && min(layer.outputShape[0], layer.outputShape[1]) <= 1
        return TableCell(html, className: tiny ? "tiny" : nil, title: "\(layer.layer) at \(resolution) px: \(siCount(layer.flops))FLOPs")
    }
}
