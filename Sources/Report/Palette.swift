/// Colours readable by people with any common colour-vision deficiency.
enum Palette {
    /// Okabe & Ito (2008), "Color Universal Design", ordered for lines on white: yellow last
    /// because it is the faintest.
    static let lines = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]

    /// Colour of the i-th series, cycling the palette.
    static func line(_ index: Int) -> String { lines[index % lines.count] }

    /// Viridis (van der Walt & Smith, matplotlib 2015) sampled at 5 stops: perceptually uniform,
    /// monotone in lightness, and readable in greyscale print.
    private static let viridis: [(Double, Double, Double)] = [
        (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]

    /// The viridis colour of t in [0, 1] (clamped), interpolated linearly between stops.
    static func sequential(_ t: Double) -> String {
        let t = min(1, max(0, t.isNaN ? 0 : t))
        let position = t * Double(viridis.count - 1)
        let i = min(Int(position), viridis.count - 2)
        let f = position - Double(i)
        let (a, b) = (viridis[i], viridis[i + 1])
        func channel(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
        return hex(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
    }

    /// Black or white, whichever reads better on `sequential(t)` (viridis is dark below ~0.55).
    static func textOnSequential(_ t: Double) -> String { t < 0.55 ? "#ffffff" : "#000000" }

    private static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
        "#" + [r, g, b].map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    /// Pads with leading zeros to `width` characters.
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
