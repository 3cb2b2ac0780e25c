import Foundation
import NN
import Resample
import TestSupport
import Testing
@testable import Report

/// The findings of the CIFAR-10 run `experiments/cifar10-directions.yaml` (docs/experiments.md),
/// pinned on its stored results: predictions, shift consistency and Nyquist budget packed by
/// scripts/reference/cifar_directions_fixture.py into Fixtures/report/cifar10-directions/.
@Suite struct CIFARDirectionsTests {
    /// small-cnn as the zoo lists it, with its dense 10.
    static let spec = try! ModelSpec(parsing: [
        "conv 3x3 32", "bn", "relu", "conv 3x3 32", "bn", "relu", "maxpool 2",
        "conv 3x3 64", "bn", "relu", "conv 3x3 64", "bn", "relu", "maxpool 2",
        "conv 3x3 128", "bn", "relu", "conv 3x3 128", "bn", "relu", "maxpool 2", "gap", "dense 10",
    ])

    static func data() throws -> ReportData {
        let folder = "report/cifar10-directions/"
        let labels = try String(contentsOfFile: Fixtures.path(folder + "labels.txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).map { Int(String($0))! }
        var evaluations: [Evaluation] = []
        var resolutions: [Int] = []
        for line in try String(contentsOfFile: Fixtures.path(folder + "evaluations.tsv"), encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: "\t").map(String.init)
            let predicted = f[4].map { Int(String($0))! }
            var metrics = Metrics(top1: Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count),
                                  count: labels.count, predicted: predicted)
            metrics.shiftConsistency = Double(f[3])
            evaluations.append(Evaluation(model: "small-cnn", trainResolution: 32, seed: 0, testResolution: Int(f[2])!,
                                          method: Filter(rawValue: f[0])!, antialias: f[1] == "true", outcome: .measured(metrics)))
            if !resolutions.contains(Int(f[2])!) { resolutions.append(Int(f[2])!) }
        }
        var data = ReportData(
            experiment: "cifar10-directions", configText: "", environment: [], timings: [],
            data: DataSummary(source: "cifar10", splits: [], skipped: []),
            classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
            testLabels: labels,
            models: [ModelInfo(name: "small-cnn", summary: "", trainResolutions: [32],
                               architectures: resolutions.map { ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: $0) })],
            evaluations: evaluations, examples: [])
        data.nyquist = try JSONDecoder().decode(NyquistBudget.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path(folder + "nyquist.json"))))
        return data
    }

    @Test func findingsAsDocumented() throws {
        let findings = Findings(analysis: Analysis(try Self.data(), options: ReportOptions())).html()
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&#39;", with: "'")
        let documented = [
            "peaks at 32 px with 70.6% (95% CI 69.4–71.9%) and keeps ≥ 90% of that peak from 24 to 32 px",
            "Below 24 px it drops: at 20 px it reaches 58.0% (95% CI 56.7–59.4%), −12.6 points (95% CI −13.9 to −11.3, Holm-adjusted p < 0.001) against the peak.",
            "At 20 px 2.6% of the test images’ energy lies above the Nyquist limit (middle half of the images 1.4–3.3%), against 0.0% at the 32 px training size: the finest detail the filters learned from (edges, texture) is removed by the antialiasing filter before the network sees the image.",
            "Above 32 px it drops: at 40 px it reaches 51.0% (95% CI 49.6–52.4%), −19.6 points (95% CI −21.1 to −18.2, Holm-adjusted p < 0.001) against the peak.",
            "At 40 px objects are 1.25× as large as in training (40/32 px) while the receptive field of the last feature map stays 36 px: each position sees 80% as much of an object as the filters learned from (in training one position saw the whole 32 px image; here 36 of 40 px).",
            "Bilinear (antialiased) beats nearest when shrinking, +3.8 to +5.8 points at 20–24 px; when enlarging the winner changes with the size: nearest beats bilinear (antialiased) at 40–48 px (+2.6 to +5.3 points), bilinear (antialiased) beats nearest at 64 px (+2.6 points) (the 32 px test images shrink below that size and are enlarged above it; every supported difference has Holm-adjusted p ≤ 0.0046).",
        ]
        for sentence in documented { #expect(findings.contains(sentence), "missing: \(sentence)\n\(findings)") }
    }
}
