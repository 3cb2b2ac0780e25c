/// Small pure functions that write SVG elements. Coordinates are in the SVG's user units and
/// written with one decimal; every text is escaped.
enum SVG {
    /// A number as a coordinate: one decimal, no "-0.0".
    static func n(_ value: Double) -> String {
        let text = fixed(value, 1)
        return text == "-0.0" ? "0.0" : text
    }

    /// The outer element: scales to its container (viewBox), with an accessible name.
    static func document(width: Double, height: Double, label: String, _ content: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"\(escapeHTML(label))\">"
            + content + "</svg>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, className: String) -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" class=\"\(className)\"/>"
    }

    /// Separate straight segments as one path ("M x y L x y M …"), e.g. a whisker and its caps.
    static func segments(_ segments: [((Double, Double), (Double, Double))], className: String) -> String {
        let d = segments.map { "M\(n($0.0.0)) \(n($0.0.1))L\(n($0.1.0)) \(n($0.1.1))" }.joined()
        return "<path d=\"\(d)\" class=\"\(className)\"/>"
    }

    /// Text anchored at (x, y); `anchor` is start, middle or end; `rotate` in degrees about (x, y).
    static func text(_ x: Double, _ y: Double, _ text: String, anchor: String = "middle",
                     className: String = "", rotate: Double = 0, fill: String? = nil) -> String {
        let transform = rotate == 0 ? "" : " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\""
        let cls = className.isEmpty ? "" : " class=\"\(className)\""
        let colour = fill.map { " fill=\"\(escapeHTML($0))\"" } ?? ""
        return "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(cls)\(colour)\(transform)>\(escapeHTML(text))</text>"
    }

    /// A polyline through `points` as a path ("M x y L x y …"); empty for no points.
    static func path(_ points: [(Double, Double)], close: Bool = false, attributes: [(String, String)],
                     title: String? = nil) -> String {
        guard let first = points.first else { return "" }
        var d = "M\(n(first.0)) \(n(first.1))"
        for point in points.dropFirst() { d += "L\(n(point.0)) \(n(point.1))" }
        if close { d += "Z" }
        let shape = "path d=\"\(d)\"\(attributeList(attributes))"
        guard let title else { return "<\(shape)/>" }
        return "<\(shape)>\(tooltip(title))</path>"
    }

    static func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double,
                     attributes: [(String, String)], title: String? = nil) -> String {
        let shape = "rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\"\(attributeList(attributes))"
        guard let title else { return "<\(shape)/>" }
        return "<\(shape)>\(tooltip(title))</rect>"
    }

    static func circle(_ x: Double, _ y: Double, radius: Double, attributes: [(String, String)], title: String? = nil) -> String {
        let shape = "circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\"\(attributeList(attributes))"
        guard let title else { return "<\(shape)/>" }
        return "<\(shape)>\(tooltip(title))</circle>"
    }

    /// A `<title>` child: the browser shows it on hover, no script needed.
    static func tooltip(_ text: String) -> String { "<title>\(escapeHTML(text))</title>" }

    static func group(_ attributes: [(String, String)], _ content: String) -> String {
        "<g\(attributeList(attributes))>\(content)</g>"
    }
}

/// A linear map from a data interval onto a pixel interval (either may be reversed).
struct LinearScale {
    var domain: (Double, Double)
    var range: (Double, Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.1 - domain.0
        let t = span == 0 ? 0.5 : (value - domain.0) / span
        return range.0 + t * (range.1 - range.0)
    }
}
