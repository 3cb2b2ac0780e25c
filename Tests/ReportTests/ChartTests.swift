import Stats
import Testing
@testable import Report

/// The SVG module: escaping, scales, colours and the element counts each chart must produce.
@Suite struct ChartTests {
    @Test func escapesEveryMarkupCharacter() {
        #expect(escapeHTML(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(SVG.text(1, 2, "<b>") == #"<text x="1.0" y="2.0" text-anchor="middle">&lt;b&gt;</text>"#)
    }

    @Test func linearScaleMapsEndsAndMiddle() {
        let scale = LinearScale(domain: (0, 1), range: (300, 100))
        #expect(scale(0) == 300 && scale(1) == 100 && scale(0.5) == 200)
        #expect(LinearScale(domain: (2, 2), range: (0, 10))(2) == 5)
    }

    @Test func viridisEndsAreTheStops() {
        #expect(Palette.sequential(0) == "#440154")
        #expect(Palette.sequential(1) == "#fde725")
        #expect(Palette.sequential(-3) == "#440154" && Palette.sequential(.nan) == "#440154")
    }

    @Test func lineChartBreaksAtGapsAndMarksThem() {
        let series = LineChart.Series(
            label: "m <1>", colour: "#0072B2", dash: "", shape: MarkerShape(0), values: [0.2, nil, 0.6, 0.7],
            bands: [nil, nil, Interval(lower: 0.5, upper: 0.7), Interval(lower: 0.6, upper: 0.8)],
            tooltips: ["a", "", "c", "d"], markers: [.init(kind: .training, index: 3, value: 0.7, tooltip: "trained"),
                                                     .init(kind: .drop, index: 2, value: 0.6, tooltip: "drops")],
            gaps: [(1, "too small")], legendIndex: 0)
        let svg = LineChart(label: "chart", title: "model", ticks: [8, 16, 32, 64], series: [series], chance: 0.25).svg()
        // One line segment (8 alone is only a marker, 32–64 a path), one band, a marker per value.
        #expect(svg.components(separatedBy: "class=\"line\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"point\"").count - 1 == 3)
        #expect(svg.components(separatedBy: "class=\"drop-mark\"").count - 1 == 1)
        #expect(svg.contains("m &lt;1&gt; cannot run at 16 px: too small"))
        #expect(svg.contains("class=\"train-mark\""))
        #expect(svg.contains(">chance 25.0%</text>"))
        #expect(!svg.contains("<1>"))
    }

    /// The chance line lies at y(0.25) = bottom − 0.25 · plotHeight = 14 + 340 − 85 = 269.
    @Test func chanceLineSitsAtOneOverClasses() {
        let svg = LineChart(label: "c", ticks: [8, 16], series: [], chance: 0.25).svg()
        #expect(svg.contains(#"<line x1="58.0" y1="269.0" x2="982.0" y2="269.0" class="chance-line"/>"#), "\(svg)")
    }

    /// Twelve markers differ pairwise (six outlines, filled then hollow), and the legend draws
    /// each entry's marker and a toggle per entry.
    @Test func markersAndLegendEntriesAreDistinct() {
        let shapes = (0..<12).map(MarkerShape.init)
        #expect(Set(shapes.map(\.name)).count == 12)
        #expect(MarkerShape(12) == MarkerShape(0))
        let legend = ChartLegend(entries: (0..<12).map { .init(label: "method \($0)", colour: Palette.line($0), dash: "", shape: MarkerShape($0)) }).svg()
        #expect(legend.components(separatedBy: "class=\"legend-item\"").count - 1 == 12)
        for shape in shapes { #expect(legend.contains("data-shape=\"\(shape.name)\"")) }
    }

    @Test func heatmapDrawsEveryCell() {
        let heatmap = Heatmap(label: "h", rowTitle: "r", columnTitle: "c", rowLabels: ["a", "b"], columnLabels: ["1", "2", "3"],
                              shades: [[0, 0.5, nil], [1, nil, 0.2]], texts: [["0", "50", ""], ["100", "", "20"]],
                              tooltips: [["", "", ""], ["", "", ""]])
        let svg = heatmap.svg()
        #expect(svg.components(separatedBy: "class=\"cell\"").count - 1 == 4)
        #expect(svg.components(separatedBy: "class=\"empty-cell\"").count - 1 == 2)
    }

    static let bars = BarChart(label: "b", categories: ["8", "16"], groups: [
        .init(label: "nearest", colour: "#D55E00", bars: [
            .init(value: -0.12, interval: Interval(lower: -0.15, upper: -0.09), significant: true, tooltip: "x"),
            .init(value: 0.01, interval: Interval(lower: -0.02, upper: 0.04), significant: false, tooltip: "y"),
        ]),
    ])

    @Test func barChartSolidAndStarredOnlyWhenSignificant() {
        let svg = Self.bars.svg()
        #expect(svg.components(separatedBy: "class=\"hollow\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"significance\"").count - 1 == 1)
        #expect(svg.components(separatedBy: "class=\"whisker\"").count - 1 == 2)
    }

    /// Worked by hand: the largest |end| is 0.15, so y spans ±0.15 · 1.15 = ±0.1725 over the
    /// plot's 200 units from 216 (bottom) to 16: y(v) = 216 − (v + 0.1725) · 200 / 0.345, so
    /// y(−0.15) = 203.0, y(−0.09) = 168.2, y(−0.02) = 127.6, y(0.04) = 92.8. Two categories split
    /// 1000 − 58 − 12 = 930 units into slots of 465, centred at 290.5 and 755.5; one group, so each
    /// whisker stands at its slot's centre with caps ±4 wide. The "∗" of the significant loss
    /// sits 11 below its whisker's lower end.
    @Test func whiskersSpanTheIntervalsWithCaps() {
        let svg = Self.bars.svg()
        #expect(svg.contains(#"<path d="M290.5 203.0L290.5 168.2M286.5 203.0L294.5 203.0M286.5 168.2L294.5 168.2" class="whisker"/>"#), "\(svg)")
        #expect(svg.contains(#"<path d="M755.5 127.6L755.5 92.8M751.5 127.6L759.5 127.6M751.5 92.8L759.5 92.8" class="whisker"/>"#))
        #expect(svg.contains(#"<text x="290.5" y="214.0" text-anchor="middle" class="significance">∗</text>"#))
        // The zero line is the axis, drawn across the plot at y(0) = 216 − 0.1725 · 200 / 0.345 = 116.
        #expect(svg.contains(#"<line x1="58.0" y1="116.0" x2="988.0" y2="116.0" class="axis"/>"#))
    }

    @Test func numbersReadAsPeopleWriteThem() {
        #expect(percent(0.7123) == "71.2%")
        #expect(points(-0.1204) == "−12.0" && points(0.021) == "+2.1" && points(0.0001) == "0.0")
        #expect(pText(0.0004) == "p < 0.001" && pText(0.0342) == "p = 0.034" && pText(0.41, adjusted: true) == "Holm-adjusted p = 0.41")
        #expect(siCount(1_234_567) == "1.2 M")
    }
}
