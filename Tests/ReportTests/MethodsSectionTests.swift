import Resample
import Stats
import Testing
@testable import Report

/// The resize-method section draws each difference's paired bootstrap interval as a whisker and
/// quotes the same interval in its table.
@Suite struct MethodsSectionTests {
    @Test func eachBarHasTheBootstrapIntervalOfItsDifference() throws {
        let labels = FindingsTests.labels
        let a = FindingsTests.predictions(labels, accuracy: 0.7, flipRate: 0.05, seed: 11)
        var b = FindingsTests.predictions(labels, accuracy: 0.7, flipRate: 0.05, seed: 12)
        for i in b.indices.filter({ b[$0] == labels[$0] }).prefix(200) { b[i] = (b[i] + 1) % 10 }
        let options = ReportOptions()
        let html = try #require(MethodsSection(analysis: Analysis(FindingsTests.twoMethods(reference: a, other: b, labels: labels), options: options)).html())
        // Both resolutions (16 and 32 px) hold the same predictions: two bars, two whiskers, both significant.
        #expect(html.components(separatedBy: "class=\"whisker\"").count - 1 == 2)
        #expect(html.components(separatedBy: "class=\"significance\"").count - 1 == 2)
        // The interval computed independently, Holm-adjusted over the two resolutions (p · 2).
        let expected = PairedComparison(PairedOutcomes(first: zip(b, labels).map { $0 == $1 }, second: zip(a, labels).map { $0 == $1 }),
                                        confidence: options.confidence, resamples: options.bootstrapResamples, seed: options.bootstrapSeed)
        let text = "\(points(expected.difference)) points (95% CI \(points(expected.interval.lower)) to \(points(expected.interval.upper)), Holm-adjusted p &lt; 0.001)"
        #expect(html.contains(text), "\(text) not in \(html)")
        #expect(expected.interval.upper < 0)
    }

    @Test func theReferenceMethodCanBeChosen() {
        let labels = FindingsTests.labels
        let a = FindingsTests.predictions(labels, accuracy: 0.7, flipRate: 0.05, seed: 11)
        let b = FindingsTests.predictions(labels, accuracy: 0.6, flipRate: 0.05, seed: 12)
        let data = FindingsTests.twoMethods(reference: a, other: b, labels: labels)
        #expect(Analysis(data, options: ReportOptions()).methods.map(\.filter) == [.bilinear, .nearest])
        let chosen = Analysis(data, options: ReportOptions(referenceMethod: .nearest))
        #expect(chosen.methods.map(\.filter) == [.nearest, .bilinear])
        #expect(chosen.methodComparisons.allSatisfy { $0.reference.key.method.filter == .nearest })
        #expect(Analysis(data, options: ReportOptions(referenceMethod: .lanczos)).methods.map(\.filter) == [.bilinear, .nearest])
    }

    /// Labels come from the filter, not from its name: nearest is never "antialiased", also in a
    /// report comparing runs, where each label starts with its run.
    @Test func labelsFollowTheFilter() {
        #expect(Method(filter: .nearest, antialias: true).label == "nearest")
        #expect(Method(filter: .nearest, antialias: false).label == "nearest (OpenCV ⌊i·s⌋)")
        #expect(Method(filter: .bicubic, antialias: false).label == "bicubic (no antialias)")
        #expect(Method(filter: .nearest, antialias: true, run: "short").label == "short · nearest")
        #expect(Method(filter: .lanczos, antialias: true, run: "long").label == "long · lanczos (antialiased)")
    }
}
