/// "Architecture math": per trained model, a table with a row per layer and a column per test
/// resolution holding the layer's output shape. Receptive field, total stride and parameters do
/// not depend on the resolution and get their own columns. A downsampling layer's cell also shows
/// what floor and ceil rounding make of its input there (rows and columns dropped or padded), the
/// model's own rule in bold; cells where the network breaks are marked ✗ with the reason.
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
                + (model.pins.map(pins) ?? "")
                + element("div", [("class", "scroll")], table(base: base, tables: tables))
        }
        guard !parts.isEmpty else { return nil }
        let intro = element("p", [], "Output shape (height × width × channels) of every layer at every test resolution; ✗ marks where the network breaks. RF = receptive field of one output position in input pixels; stride = total stride so far. Under each downsampling layer’s shape, its input → output size under each rounding rule: “floor” keeps only windows that fit and drops the rows/columns left over at the bottom/right, “ceil” keeps one more window that reads padding past the end (“same” padding and BlurPool size the output ⌈n/s⌉ themselves, whatever the rounding). Where floor and ceil agree, one plain line says “floor = ceil”; otherwise the rule the model uses is in bold and the other shows what switching the model’s rounding would do at this layer.")
        return intro + parts.joined()
    }

    /// An imported model's resolution pins: what ties it to its training size, in its own words.
    private func pins(_ sentences: [String]) -> String {
        guard !sentences.isEmpty else {
            return element("p", [], "Nothing in this imported graph is sized by its training resolution (no Flatten → Gemm, constant Reshape, pool as large as the training-size map, constant added to a map or ceil-mode pool), so it runs at every size its layers allow.")
        }
        return element("p", [], "What ties this imported model to its training size:")
            + element("ul", [("class", "pins")], sentences.map { element("li", [], escapeHTML($0)) }.joined())
    }

    /// The layer column and the training-resolution column stay in view while the table scrolls
    /// sideways (CSS `position: sticky`): the layer column is pinned at the left edge, `--layer-width`
    /// wide (its longest name at ~7.6 px a character of 12.5 px bold type, plus padding), and the
    /// training column right of it.
    private func table(base: ArchitectureTable, tables: [ArchitectureTable]) -> String {
        let training = base.trainResolution
        func pinned(_ cell: TableCell, resolution: Int? = nil) -> TableCell {
            var cell = cell
            let pin = resolution == nil ? "pin" : resolution == training ? "pin-train" : nil
            guard let pin else { return cell }
            if let index = cell.attributes.firstIndex(where: { $0.0 == "class" }) {
                cell.attributes[index].1 += " " + pin
            } else {
                cell.attributes.append(("class", pin))
            }
            return cell
        }
        let head = [pinned(TableCell("layer")), TableCell("RF"), TableCell("stride"), TableCell("params")]
            + tables.map { pinned(TableCell("\($0.testResolution) px" + ($0.testResolution == training ? " (trained)" : "")), resolution: $0.testResolution) }
        var rows: [[TableCell]] = base.layers.indices.map { i in
            let layer = base.layers[i]
            return [pinned(TableCell(escapeHTML(layer.layer), header: true)), .text(String(layer.receptiveField)),
                    .text(String(layer.totalStride)), .text(String(layer.parameters))]
                + tables.map { pinned(cell(i < $0.layers.count ? $0.layers[i] : nil, resolution: $0.testResolution), resolution: $0.testResolution) }
        }
        let totalLabel = "total (FLOPs per image)"
        rows.append([pinned(TableCell(totalLabel, header: true)), "", "", .text(String(base.layers.map(\.parameters).reduce(0, +)))]
            + tables.map { pinned(.text(siCount($0.layers.map(\.flops).reduce(0, +))), resolution: $0.testResolution) })
        let longest = (base.layers.map(\.layer.count) + [totalLabel.count]).max()!
        let width = Int((Double(longest) * 7.6).rounded()) + 16
        return htmlTable(head: head, rows: rows, attributes: [("class", "arch"), ("style", "--layer-width: \(width)px")])
    }

    private func cell(_ layer: LayerRow?, resolution: Int) -> TableCell {
        guard let layer else { return "" }
        let shape = layer.outputShape.map(String.init).joined(separator: "×")
        if let reason = layer.breaks {
            return TableCell("✗ " + escapeHTML(shape.isEmpty ? "breaks" : shape), className: "broken", title: reason)
        }
        var html = escapeHTML(shape)
        // Where floor and ceil agree (the windows tile the input) one plain line says so: the
        // choice does not matter there.
        let agree = layer.rules.count > 1 && layer.rules.allSatisfy { $0.rows == layer.rules[0].rows && $0.columns == layer.rules[0].columns }
        let lines = agree ? [(ruleText(layer.rules[0], name: layer.rules.map(\.rule.rawValue).joined(separator: " = ")), false)]
            : layer.rules.map { (ruleText($0), $0.used) }
        for (text, used) in lines {
            html += element("span", [("class", used ? "rule used" : "rule")], used ? element("b", [], escapeHTML(text)) : escapeHTML(text))
        }
        let tiny = layer.outputShape.count == 3 && min(layer.outputShape[0], layer.outputShape[1]) <= 1
        return TableCell(html, className: tiny ? "tiny" : nil, title: "\(layer.layer) at \(resolution) px: \(siCount(layer.flops))FLOPs")
    }
}

/// One rule's effect on a layer: "floor 15→7, drops 1 row+1 col", "ceil 15→8, pads 1 row+1 col",
/// "floor 16→8, exact", "blur ⌈n/s⌉ 15→8, reflect-pads 2 rows+2 cols" (BlurPool's own padding); sizes are written once when rows and columns agree ("15×17→7×8" when not).
/// `name` replaces the rule's name ("floor = ceil").
public func ruleText(_ outcome: RuleOutcome, name: String? = nil) -> String {
    let (rows, columns) = (outcome.rows, outcome.columns)
    let size = { (r: Int, c: Int) in r == c ? String(r) : "\(r)×\(c)" }
    let counts = { (r: Int, c: Int) in [r > 0 ? plural(r, "row") : nil, c > 0 ? plural(c, "col") : nil].compactMap { $0 }.joined(separator: "+") }
    let dropped = counts(rows.dropped, columns.dropped), padded = counts(rows.padded, columns.padded)
    let pads = outcome.rule == .blur ? "reflect-pads " : "pads "
    let effects = [dropped.isEmpty ? nil : "drops " + dropped, padded.isEmpty ? nil : pads + padded].compactMap { $0 }
    let name = name ?? (outcome.rule == .blur ? "blur ⌈n/s⌉" : outcome.rule.rawValue)
    return "\(name) \(size(rows.input, columns.input))→\(size(rows.output, columns.output)), \(effects.isEmpty ? "exact" : effects.joined(separator: ", "))"
}
