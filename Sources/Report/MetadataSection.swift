/// "Run metadata": the resolved configuration, environment, timings, and what the data held
/// (images per class and split, skipped files with reasons).
struct MetadataSection {
    let data: ReportData

    /// At most this many skipped files are listed; the rest are counted.
    private let skippedShown = 200

    func html() -> String {
        var html = element("h3", [], "Data: " + escapeHTML(data.data.source))
        let splits = data.data.splits
        let rows: [[TableCell]] = data.classNames.indices.map { c in
            [TableCell(escapeHTML(data.classNames[c]), header: true)] + splits.map { .text(c < $0.perClass.count ? String($0.perClass[c]) : "—") }
        } + [[TableCell("total", header: true)] + splits.map { .text(String($0.perClass.reduce(0, +))) }]
        html += element("div", [("class", "scroll")], htmlTable(header: ["class"] + splits.map { escapeHTML($0.split) }, rows: rows, className: "numbers"))
        if data.data.skipped.isEmpty {
            html += element("p", [], "No files were skipped.")
        } else {
            let shown = data.data.skipped.prefix(skippedShown).map { element("li", [], element("code", [], escapeHTML($0.path)) + ": " + escapeHTML($0.reason)) }
            let more = data.data.skipped.count > skippedShown ? element("li", [], "… and \(data.data.skipped.count - skippedShown) more.") : ""
            html += element("details", [], element("summary", [], "\(data.data.skipped.count) skipped files") + element("ul", [], shown.joined() + more))
        }
        html += element("h3", [], "Environment") + htmlTable(header: ["", ""], rows: data.environment.map { [TableCell(escapeHTML($0.name), header: true), .text($0.value)] }, className: "meta")
        let total = data.timings.map(\.seconds).reduce(0, +)
        html += element("h3", [], "Timings") + htmlTable(header: ["phase", "seconds"],
            rows: data.timings.map { [.text($0.phase), .text(fixed($0.seconds, 1))] } + [[TableCell("total", header: true), .text(fixed(total, 1))]], className: "meta")
        html += element("h3", [], "Resolved configuration") + element("pre", [], escapeHTML(data.configText))
        return html
    }
}
