import Foundation
import Resample
import Stats

/// What `summary.json` holds beside `report.html`: per trained model and method its peak, the
/// range that keeps ≥ `dropShare` of it and the drop points with their paired tests, and the
/// findings as plain sentences; for scripts that compare runs without parsing the page.
public struct ReportSummary: Codable, Sendable, Equatable {
    public struct Peak: Codable, Sendable, Equatable {
        public var resolution: Int
        public var top1: Double
        public var low: Double
        public var high: Double
    }

    public struct Drop: Codable, Sendable, Equatable {
        /// "below" or "above" the kept range.
        public var side: String
        public var resolution: Int
        /// Nil where the model cannot run.
        public var top1: Double?
        /// The paired test against the peak (Holm-adjusted within the curve), when one was made.
        public var difference: Double?
        public var adjustedP: Double?
        /// Whether the paired test supports a drop at the report's alpha (what the chart marks).
        public var supported: Bool
        public var cannotRun: String?
    }

    public struct CurveSummary: Codable, Sendable, Equatable {
        public var model: String
        public var trainResolution: Int
        public var method: Filter
        public var antialias: Bool
        /// The run, in the summary of a report comparing runs.
        public var run: String?
        public var peak: Peak?
        /// The resolutions from … to that keep the accuracy.
        public var keptFrom: Int?
        public var keptTo: Int?
        public var drops: [Drop]
    }

    public var experiment: String
    public var testImages: Int
    public var classes: Int
    public var curves: [CurveSummary]
    /// Every finding and caution as text, in the report's order.
    public var findings: [String]
}

/// The summary of the report `renderReport(data, options:)` draws.
public func summarizeReport(_ data: ReportData, options: ReportOptions = ReportOptions()) -> ReportSummary {
    let analysis = Analysis(data, options: options)
    let curves = analysis.curves.map { curve -> ReportSummary.CurveSummary in
        let tests = analysis.curveTests[curve.key]!  // Analysis tests every curve.
        let peak = curve.peak.flatMap { index -> ReportSummary.Peak? in
            let cell = curve.cells[index]
            guard let mean = cell.mean else { return nil }
            return .init(resolution: cell.testResolution, top1: mean, low: cell.interval?.lower ?? mean, high: cell.interval?.upper ?? mean)
        }
        let drops = [(CurveTests.Name.below, "below", curve.lowDrop), (.above, "above", curve.highDrop)].compactMap { name, side, index -> ReportSummary.Drop? in
            guard let index else { return nil }
            let cell = curve.cells[index]
            let test = tests.comparisons[name]
            return .init(side: side, resolution: cell.testResolution, top1: cell.mean, difference: test?.difference,
                         adjustedP: test?.adjustedPValue, supported: tests.supportsDrop(name, alpha: options.alpha), cannotRun: cell.cannotRun)
        }
        return .init(model: curve.key.model, trainResolution: curve.key.trainResolution, method: curve.key.method.filter,
                     antialias: curve.key.method.antialias, run: curve.key.method.run, peak: peak,
                     keptFrom: curve.kept.map { curve.cells[$0.lowerBound].testResolution },
                     keptTo: curve.kept.map { curve.cells[$0.upperBound].testResolution }, drops: drops)
    }
    return ReportSummary(experiment: data.experiment, testImages: data.testLabels.count, classes: data.classNames.count,
                         curves: curves, findings: plainSentences(Findings(analysis: analysis).html()))
}

/// The text of every `<li>` of `html` (a nested item separately, not inside its parent), tags
/// removed and entities decoded.
func plainSentences(_ html: String) -> [String] {
    html.components(separatedBy: "<li>").dropFirst().map { item in
        let own = item.components(separatedBy: "<ul>")[0].components(separatedBy: "</li>")[0]
        var text = ""
        var inTag = false
        for character in own {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
