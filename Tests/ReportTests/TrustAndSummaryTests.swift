import Foundation
import Testing
@testable import Report

/// The findings' cautions (peak near chance, test set too small), the training-curves section
/// and summary.json.
@Suite struct TrustAndSummaryTests {
    /// One model, bilinear only, tested at 16 and 32 px on `images` images of two classes, with
    /// `correct` of them right at both sizes (the first ones).
    static func run(images: Int, correct: Int, curves: [TrainingCurve] = []) -> ReportData {
        let labels = (0..<images).map { $0 % 2 }
        let predicted = labels.enumerated().map { $0.offset < correct ? $0.element : 1 - $0.element }
        let evaluations = [16, 32].map {
            Evaluation(model: "m", trainResolution: 32, seed: 0, testResolution: $0, method: .bilinear, antialias: true,
                       outcome: .measured(Metrics(top1: Double(correct) / Double(images), count: images, predicted: predicted)))
        }
        return ReportData(experiment: "e", configText: "", environment: [], timings: [],
                          data: DataSummary(source: "s", splits: [], skipped: []), classNames: ["a", "b"], testLabels: labels,
                          models: [], evaluations: evaluations, examples: [], trainingCurves: curves)
    }

    /// Wilson intervals from scipy-free arithmetic (python, z = 1.959964): 520/1000 → 48.9–55.1%,
    /// 90/100 → 82.6–94.5% (±6.0 points), 900/1000 → ±1.9 points.
    @Test func cautionsNameTheProblem() {
        let nearChance = Findings(analysis: Analysis(Self.run(images: 1000, correct: 520), options: ReportOptions())).html()
        #expect(nearChance.contains("<strong>Caution:</strong> <strong>m @32 px</strong> peaks at 52.0% (32 px), and its interval reaches down to 48.9%, within 5 points of chance (50.0% for 2 classes)"), "\(nearChance)")
        #expect(!nearChance.contains("is tested on"))
        let small = Findings(analysis: Analysis(Self.run(images: 100, correct: 90), options: ReportOptions())).html()
        #expect(small.contains("<strong>Caution:</strong> <strong>m @32 px</strong> is tested on 100 images, so its 95% interval at the peak spans ±6.0 points"), "\(small)")
        #expect(!small.contains("of chance"))
        let fine = Findings(analysis: Analysis(Self.run(images: 1000, correct: 900), options: ReportOptions())).html()
        #expect(!fine.contains("Caution"))
    }

    @Test func trainingCurvesAreDrawnWhenRecorded() {
        let curve = TrainingCurve(model: "m", trainResolution: 32, seed: 0, epochs: (1...4).map {
            EpochPoint(epoch: $0, trainLoss: 1.6 / Double($0), heldOutTop1: 0.5 + 0.1 * Double($0), heldOutLoss: 1.2 / Double($0))
        })
        let page = renderReport(Self.run(images: 1000, correct: 900, curves: [curve]))
        #expect(page.contains("<section id=\"training\"><h2>Training curves</h2>"))
        // Accuracy points and both loss lines, one marker per epoch each; the loss axis tops at 2.0.
        let section = page.components(separatedBy: "<section id=\"training\">")[1].components(separatedBy: "</section>")[0]
        #expect(section.components(separatedBy: "class=\"point\"").count - 1 == 3 * 4 + 1, "3 series × 4 epochs + the legend sample")
        #expect(section.contains("m @32 px seed 0, epoch 3: held-out top-1 80.0%"))
        #expect(section.contains(">2.00</text>") && section.contains("m @32 px seed 0, epoch 2: training loss 0.800"))
        #expect(!renderReport(Self.run(images: 1000, correct: 900)).contains("id=\"training\""))
    }

    @Test func summaryHoldsPeakDropsAndFindings() throws {
        var data = Self.run(images: 1000, correct: 900)
        // At 16 px only 300 of 1000 are right: a drop the paired test supports.
        let labels = data.testLabels
        let worse = labels.enumerated().map { $0.offset < 300 ? $0.element : 1 - $0.element }
        data.evaluations[0].outcome = .measured(Metrics(top1: 0.3, count: 1000, predicted: worse))
        let summary = summarizeReport(data)
        #expect(summary.curves.count == 1)
        let curve = summary.curves[0]
        #expect(curve.peak?.resolution == 32 && curve.peak?.top1 == 0.9)
        #expect(curve.keptFrom == 32 && curve.keptTo == 32)
        #expect(curve.drops.count == 1 && curve.drops[0].side == "below" && curve.drops[0].resolution == 16)
        #expect(curve.drops[0].supported && abs((curve.drops[0].difference ?? 0) + 0.6) < 1e-12)
        #expect(summary.findings.contains { $0.hasPrefix("m @32 px, resized with bilinear (antialiased), peaks at 32 px") }, "\(summary.findings)")
        #expect(!summary.findings.contains { $0.contains("<strong") || $0.contains("<ul") || $0.contains("&lt;") || $0.contains("&amp;") })
        let json = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(ReportSummary.self, from: json) == summary)
    }
}
