import Foundation

/// The point marker of a chart series: with its colour, what tells one resize method from
/// another when colours are hard to tell apart (colour-vision deficiency, greyscale print).
/// Six filled shapes, then the same six hollow (white inside), so twelve series differ by shape
/// alone.
struct MarkerShape: Equatable {
    enum Outline: CaseIterable { case circle, square, triangle, diamond, invertedTriangle, hexagon }
    var outline: Outline
    var hollow: Bool

    /// The i-th shape, cycling after twelve.
    init(_ index: Int) {
        let count = Outline.allCases.count
        outline = Outline.allCases[index % count]
        hollow = (index / count) % 2 == 1
    }

    /// A name for tests and tooltips: `circle`, `hollow square`, …
    var name: String { (hollow ? "hollow " : "") + "\(outline)" }

    /// The marker centred on (x, y), about `size` across, in `colour`; `className` styles it.
    func svg(_ x: Double, _ y: Double, size: Double, colour: String, className: String = "point") -> String {
        let r = size / 2
        let attributes: [(String, String)] = [("class", className), ("data-shape", name),
                                              ("fill", hollow ? "#fff" : colour), ("stroke", colour)]
        switch outline {
        case .circle:
            return SVG.circle(x, y, radius: r, attributes: attributes)
        case .square:
            return SVG.rect(x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r, attributes: attributes)
        case .triangle:
            return SVG.path([(x, y - r * 1.15), (x + r * 1.1, y + r * 0.85), (x - r * 1.1, y + r * 0.85)], close: true, attributes: attributes)
        case .invertedTriangle:
            return SVG.path([(x, y + r * 1.15), (x + r * 1.1, y - r * 0.85), (x - r * 1.1, y - r * 0.85)], close: true, attributes: attributes)
        case .diamond:
            return SVG.path([(x, y - r * 1.25), (x + r * 1.05, y), (x, y + r * 1.25), (x - r * 1.05, y)], close: true, attributes: attributes)
        case .hexagon:
            let corners = (0..<6).map { k -> (Double, Double) in
                let angle = Double(k) * Double.pi / 3
                return (x + r * 1.05 * cos(angle), y + r * 1.05 * sin(angle))
            }
            return SVG.path(corners, close: true, attributes: attributes)
        }
    }
}
