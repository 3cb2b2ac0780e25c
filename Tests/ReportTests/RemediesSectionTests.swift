import Foundation
import Testing
import Stats
@testable import Report

/// "What to do" on a simulated run with remedies whose effect is built in: one that fixes 150
/// of 1000 images per seed (helps), one that changes 2 (not helping), one that breaks 100 (hurts).
@Suite struct RemediesSectionTests {
    /// The simulated run with three remedies of gap-cnn at 16 px (bilinear, antialiased), and
    /// one at 24 px that changes nothing.
    static func data(_ run: SimulatedRun = SimulatedRun(images: 1000, models: ["gap-cnn"])) throws -> ReportData {
        var data = try run.data()
        let labels = data.testLabels
        for evaluation in data.evaluations where evaluation.method == .bilinear && [16, 24].contains(evaluation.testResolution) {
            guard case let .measured(metrics) = evaluation.outcome else { continue }
            let wrong = metrics.predicted.indices.filter { metrics.predicted[$0] != labels[$0] }
            let right = metrics.predicted.indices.filter { metrics.predicted[$0] == labels[$0] }
            func treated(_ name: String, _ description: String, _ cost: RemedyCost, fix: Int, breakCount: Int) -> RemedyEvaluation {
                var predicted = metrics.predicted
                for i in wrong.prefix(fix) { predicted[i] = labels[i] }
                for i in right.prefix(breakCount) { predicted[i] = (labels[i] + 1) % 10 }
                var copy = evaluation
                let top1 = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
                copy.outcome = .measured(Metrics(top1: top1, count: labels.count, predicted: predicted))
                return RemedyEvaluation(remedy: name, description: description, cost: cost, seconds: 2, note: nil, evaluation: copy)
            }
            if evaluation.testResolution == 16 {
                data.remedies += [treated("bn-recal", "re-estimating batch norm at 16 px", .seconds, fix: 150, breakCount: 0),
                                  treated("rounding", "the other rounding rule at 16 px", .none, fix: 1, breakCount: 1),
                                  treated("resize", "resizing to 32 px first", .none, fix: 0, breakCount: 100)]
            } else {
                data.remedies.append(treated("rounding", "the other rounding rule at 24 px", .none, fix: 0, breakCount: 0))
            }
        }
        return data
    }

    @Test func gainsAreClaimedOnlyWhereTheTestSupportsThem() throws {
        let analysis = Analysis(try Self.data(), options: ReportOptions())
        let comparison = try #require(analysis.remedyComparisons.first)
        #expect(analysis.remedyComparisons.count == 1)
        #expect(comparison.untreated.key.method == Method(filter: .bilinear, antialias: true))
        // Ranked by cost at each size: the two free ones (larger gain first), then seconds.
        #expect(comparison.rows.map { "\($0.resolution) \($0.remedy)" } == ["16 rounding", "16 resize", "16 bn-recal", "24 rounding"])
        let gain = try #require(comparison.rows.first { $0.remedy == "bn-recal" }?.test)
        // 3 seeds × 150 fixed images over 3 × 1000 pairs: +15 points; McNemar b = 450, c = 0.
        #expect(abs(gain.difference - 0.15) < 1e-12)
        #expect(gain.outcomes.onlyFirstRight == 450 && gain.outcomes.onlySecondRight == 0)
        // Holm over the four tests of this model: the smallest raw p is multiplied by 4.
        let raw = comparison.rows.compactMap { $0.test?.pValue }
        #expect(gain.adjustedPValue == min(1, 4 * raw.min()!))

        let section = RemediesSection(analysis: analysis)
        let at16 = section.sentence(comparison, at: 16)
        #expect(at16.hasPrefix("At 16 px (untreated "))
        #expect(at16.contains("Helps: re-estimating batch norm at 16 px +15.0 points (95% CI +"))
        #expect(at16.contains("Not helping (no difference the test supports): the other rounding rule at 16 px 0.0 points"))
        #expect(at16.contains("Hurts: resizing to 32 px first −10.0 points"))
        #expect(section.sentence(comparison, at: 24).contains("Not helping (no difference the test supports): the other rounding rule at 24 px 0.0 points (95% CI 0.0 to 0.0, Holm-adjusted p = 1.00)"))
        let html = try #require(section.html())
        #expect(html.components(separatedBy: "<td class=\"significant\">helps</td>").count - 1 == 1)
        #expect(html.components(separatedBy: "<td>not helping</td>").count - 1 == 2)
        #expect(html.components(separatedBy: "<td>hurts</td>").count - 1 == 1)

        let findings = section.findings(comparison.untreated.key)
        #expect(findings.count == 2)
        #expect(findings[0].hasPrefix("What to do at 16 px (bilinear (antialiased)): the cheapest remedy that helps is re-estimating batch norm at 16 px +15.0 points"))
        #expect(findings[1] == "What to do at 24 px (bilinear (antialiased)): no remedy tested there helps by a difference the paired test supports (see What to do).")
    }

    /// A remedy that could not be measured (it cannot run there) has no paired test: it is listed
    /// as not measured, with its reason, and never as not helping; nor is one whose untreated
    /// model cannot run (not compared).
    @Test func remediesWithoutAPairedTestAreNotCountedAsNotHelping() throws {
        var data = try Self.data()
        let reason = "The node \"sum\" (add): with the rounding swapped at \"pool\" (maxpool 2 ceil → floor), its inputs would be 7×7×4 and 8×8×4 at 16×16 input."
        for i in data.remedies.indices where data.remedies[i].remedy == "rounding" {
            data.remedies[i].evaluation.outcome = .cannotRun(reason: reason)
        }
        let analysis = Analysis(data, options: ReportOptions())
        let comparison = try #require(analysis.remedyComparisons.first)
        let rounding = comparison.rows.filter { $0.remedy == "rounding" }
        #expect(rounding.count == 2 && rounding.allSatisfy { $0.test == nil && $0.verdict(alpha: 0.05) == nil && $0.untested?.kind == .notMeasured })
        let section = RemediesSection(analysis: analysis)
        let at16 = section.sentence(comparison, at: 16)
        #expect(at16.contains(". Not measured: the other rounding rule at 16 px (cannot run: \(reason))."), "\(at16)")
        #expect(!at16.contains("Not helping"), "\(at16)")
        let at24 = section.sentence(comparison, at: 24)
        #expect(at24.hasSuffix("). Not measured: the other rounding rule at 24 px (cannot run: \(reason))."), "\(at24)")
        let html = try #require(section.html())
        #expect(html.components(separatedBy: "<td>not measured</td>").count - 1 == 2)
        #expect(!html.contains("<td>not helping</td>"))
        #expect(section.findings(comparison.untreated.key)[1] == "What to do at 24 px (bilinear (antialiased)): no remedy tested there helps by a difference the paired test supports; without a paired test: the other rounding rule at 24 px (see What to do).")

        // The untreated model cannot run at 24 px; the remedy there ran, so it is measured but not compared.
        var unpaired = try Self.data()
        for i in unpaired.evaluations.indices where unpaired.evaluations[i].testResolution == 24 {
            unpaired.evaluations[i].outcome = .cannotRun(reason: "flatten ties the model to its training resolution.")
        }
        let second = Analysis(unpaired, options: ReportOptions())
        let rows = try #require(second.remedyComparisons.first).rows.filter { $0.resolution == 24 }
        #expect(rows.count == 1 && rows[0].untested?.kind == .notCompared && rows[0].treated.mean != nil)
        let sentence = RemediesSection(analysis: second).sentence(try #require(second.remedyComparisons.first), at: 24)
        #expect(sentence.hasPrefix("At 24 px (untreated not measured). Not compared: the other rounding rule at 24 px "), "\(sentence)")
        #expect(sentence.hasSuffix("% (the untreated model cannot run here)."), "\(sentence)")
    }

    @Test func noRemediesNoSection() throws {
        let data = try SimulatedRun(images: 200, models: ["gap-cnn"]).data()
        #expect(RemediesSection(analysis: Analysis(data, options: ReportOptions())).html() == nil)
        #expect(!renderReport(data).contains("id=\"remedies\""))
    }
}
