import Foundation
import Stats

/// Escapes text for HTML element content and quoted attribute values (also valid inside SVG):
/// `&`, `<`, `>`, `"` and `'` become character references, so no user string can open a tag,
/// close an attribute or start an entity.
public func escapeHTML(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.unicodeScalars.append(character)
        }
    }
    return escaped
}

/// `<name a="v" …>content</name>`. Attribute values are escaped here; `content` is HTML already
/// (build it from `escapeHTML` and other elements).
func element(_ name: String, _ attributes: [(String, String)] = [], _ content: String) -> String {
    "<\(name)\(attributeList(attributes))>\(content)</\(name)>"
}

/// ` a="v" b="w"` with every value escaped.
func attributeList(_ attributes: [(String, String)]) -> String {
    attributes.map { " \($0.0)=\"\(escapeHTML($0.1))\"" }.joined()
}

/// A table with a header row (left out when every header is empty); cells are HTML. A cell written as `(html, class)` gets that class.
func htmlTable(header: [String], rows: [[TableCell]], className: String = "") -> String {
    htmlTable(head: header.map { TableCell($0) }, rows: rows, attributes: className.isEmpty ? [] : [("class", className)])
}

/// A table whose header cells carry attributes too (`head` cells are always `th`).
func htmlTable(head: [TableCell], rows: [[TableCell]], attributes: [(String, String)]) -> String {
    let headRow = head.allSatisfy(\.html.isEmpty) ? ""
        : element("thead", [], element("tr", [], head.map { element("th", $0.attributes, $0.html) }.joined()))
    let body = rows.map { row in
        element("tr", [], row.map { cell in
            element(cell.header ? "th" : "td", cell.attributes, cell.html)
        }.joined())
    }.joined(separator: "\n")
    return element("table", attributes, headRow + element("tbody", [], body))
}

/// One table cell: HTML content plus optional class and tooltip.
struct TableCell: ExpressibleByStringLiteral {
    var html: String
    var attributes: [(String, String)] = []
    var header = false

    init(_ html: String, className: String? = nil, title: String? = nil, header: Bool = false) {
        self.html = html
        if let className { attributes.append(("class", className)) }
        if let title { attributes.append(("title", title)) }
        self.header = header
    }

    init(stringLiteral value: String) { self.init(escapeHTML(value)) }

    /// Escaped plain text.
    static func text(_ value: String, className: String? = nil) -> TableCell {
        TableCell(escapeHTML(value), className: className)
    }
}

/// `value` with a fixed number of decimals ("71.2").
func fixed(_ value: Double, _ decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}

/// An accuracy fraction as a percentage with one decimal ("71.2%").
func percent(_ fraction: Double) -> String { fixed(100 * fraction, 1) + "%" }

/// A difference of fractions in percentage points with sign ("+2.1", "−12.0").
func points(_ fraction: Double) -> String {
    let value = 100 * fraction
    let text = fixed(abs(value), 1)
    if text == "0.0" { return "0.0" }
    return (value < 0 ? "−" : "+") + text
}

/// A p-value as readers expect it: "p < 0.001", else two significant digits ("p = 0.034").
func pText(_ p: Double, adjusted: Bool = false) -> String {
    let name = adjusted ? "Holm-adjusted p" : "p"
    if p < 0.001 { return "\(name) < 0.001" }
    if p >= 0.1 { return "\(name) = \(fixed(p, 2))" }
    return "\(name) = \(String(format: "%.2g", p))"
}

/// "95% CI −42.1 to −38.3, Holm-adjusted p < 0.001": a paired difference's interval and p-value,
/// as plain text (escape it for HTML: it may hold "<").
func evidenceText(_ comparison: PairedComparison, confidence: Double, adjusted: Bool) -> String {
    "\(Int(confidence * 100))% CI \(points(comparison.interval.lower)) to \(points(comparison.interval.upper)), \(pText(comparison.adjustedPValue, adjusted: adjusted))"
}

/// A FLOP count with an SI prefix ("1.2 M").
func siCount(_ value: Double) -> String {
    let prefixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
    for (scale, prefix) in prefixes where value >= scale {
        return fixed(value / scale, 1) + " " + prefix
    }
    return fixed(value, 0)
}
