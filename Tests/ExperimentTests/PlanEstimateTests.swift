import Foundation
import Testing
import TestSupport
import Datasets
@testable import Experiment

/// The dry-run's and Slurm's time estimates: arithmetic on rows with given rates (no timing
/// asserted), and the plan timing each distinct model once.
struct PlanEstimateTests {
    static let yaml = """
        name: estimate
        dataset:
          generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4}
        models:
          - name: a
            layers: [conv 3x3 4, relu, gap, dense classes]
          - name: b
            layers: [conv 3x3 8, relu, maxpool 2, conv 3x3 8, relu, gap, dense classes]
        training: {epochs: 1, batch: 8, resolutions: [16]}
        evaluation: {resolutions: [8, 16], methods: [bilinear]}
        seeds: [0, 1]
        """
    static let config = try! parseExperiment(yaml: yaml, file: "estimate.yaml")

    func row(_ id: Int, training: Double, evaluation: Double, done: Bool = false, measured: Bool = true) -> PlanSummary.Row {
        PlanSummary.Row(cell: Self.config.cells[id], forwardFLOPs: 1e6, trainingFLOPs: training, evaluationFLOPs: evaluation,
                        cannotRun: [], done: done,
                        speed: ModelSpeed(trainingFLOPsPerSecond: 100e9, forwardFLOPsPerSecond: 50e9, measured: measured))
    }

    func summary(_ rows: [PlanSummary.Row]) -> PlanSummary {
        PlanSummary(experiment: "estimate", folder: nil, trainImages: 32, testImages: 16, classes: 4,
                    evaluationsPerCell: 2, threads: 2, rows: rows)
    }

    @Test func cellsTakeTheirTrainingAndTestFLOPsAtTheirModelsRates() {
        let plan = summary([row(0, training: 1e12, evaluation: 1e11), row(1, training: 2e12, evaluation: 0),
                            row(2, training: 9e12, evaluation: 9e12, done: true)])
        #expect(plan.rows[0].estimatedSeconds == 10 + 2)
        #expect(plan.estimatedSeconds == 12 + 20, "done cells are not counted")
        let text = plan.dryRunText
        #expect(text.contains("a@16px seed 0: 1.0 MFLOP per image forward, 1.1 TFLOP in all, about 12 s\n"))
        #expect(text.contains("Total: 3.1 TFLOP; estimated time on 2 thread(s): 32 s."))
        #expect(text.contains("timed here on 2 thread(s): a at 16 px training 100 GFLOP/s, evaluation 50 GFLOP/s."))
        #expect(!text.contains("Not timed"))
    }

    @Test func anAssumedRateIsSaidToBeAssumed() {
        let plan = summary([row(0, training: 1e12, evaluation: 0, measured: false)])
        #expect(plan.estimateBasis.hasPrefix("Not timed, assumed training 120 GFLOP/s, evaluation 60 GFLOP/s (measured on one Zen 5 core): a at 16 px."))
    }

    @Test func slurmSizesTasksForTheSlowestCellStillToRun() {
        let plan = summary([row(0, training: 1e12, evaluation: 0), row(1, training: 1e12, evaluation: 1e12),
                            row(2, training: 9e12, evaluation: 9e12, done: true)])
        let estimate = slurmEstimate(plan)
        #expect(estimate.cellFLOPs == 2e12)
        #expect(abs(estimate.flopsPerSecond - 2e12 / 30) < 1)
        #expect(estimate.measured)
        #expect(slurmEstimate(summary([row(2, training: 9e12, evaluation: 0, done: true)])).cellFLOPs == 9e12,
                "with every cell done, the slowest of all")
    }

    @Test func thePlanTimesEachModelOnceOrAssumes() throws {
        let folder = NSTemporaryDirectory() + "reslab-estimate-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.yaml.write(toFile: folder + "/estimate.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions(configPath: folder + "/estimate.yaml", threads: 1)
        options.runsRoot = folder + "/runs"
        let measured = try planExperiment(options)
        #expect(measured.rows.allSatisfy { $0.speed.measured && ($0.speed.trainingFLOPsPerSecond ?? 0) > 0 && $0.speed.forwardFLOPsPerSecond > 0 })
        #expect(measured.rows[0].speed == measured.rows[1].speed, "seeds of one model share its timing")
        let assumed = try planExperiment(options, measure: false)
        #expect(assumed.rows.allSatisfy { $0.speed == .fallback })
    }

    /// `--dry-run` of a run with `remedies:` counts their work per cell, by the formulas of
    /// `plannedFLOPs`: here resize (E · f(16)), bn-recal ((min(images, T) + E) · f(8)) and
    /// FixRes (epochs · T · t(8) + E · f(8)) at 8 px, with f from the model plan (E = 16 test and
    /// T = 32 training images of the four generated stripe classes, t(8) = t · f(8) / f(16)).
    @Test func remediesAddTheirWorkToEachCell() throws {
        let folder = NSTemporaryDirectory() + "reslab-estimate-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let yaml = Self.yaml + "\nremedies: {run: [resize, bn-recal, fixres], at: [8], bn_recal: {images: 10}, fixres: {epochs: 2}}\n"
        try yaml.write(toFile: folder + "/estimate.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions(configPath: folder + "/estimate.yaml", threads: 1)
        options.runsRoot = folder + "/runs"
        let plan = try planExperiment(options, measure: false)
        let row = plan.rows[0]
        let model = try Model(info: try row.cell.model.description(classNames: (0..<plan.classes).map(String.init), trainResolution: 16, mean: [0, 0, 0], std: [1, 1, 1]), seed: 0)
        let f8 = try #require(model.forwardFLOPs(at: 8)), f16 = try #require(model.forwardFLOPs(at: 16))
        #expect(plan.trainImages == 32 && plan.testImages == 16)
        #expect(row.remedyForwardFLOPs == 16 * f16 + (10 + 16) * f8 + 16 * f8)
        #expect(row.remedyTrainingFLOPs == Double(2 * 32) * (model.trainingFLOPs * f8 / f16))
        #expect(row.totalFLOPs == row.trainingFLOPs + row.evaluationFLOPs + row.remedyFLOPs)
        #expect(plan.dryRunText.contains("  of which remedies: "))
    }

    /// An imported (`onnx:`) model is only tested: the dry run gives it no training and no
    /// remedy work (`RemedyRun` skips it), and times only its forward passes.
    @Test func anImportedModelIsOnlyTested() throws {
        let folder = NSTemporaryDirectory() + "reslab-estimate-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The fixture has 10 outputs; the four stripe classes are four of them.
        let classes = GeneratedStripes.classNames + (0..<(10 - GeneratedStripes.classNames.count)).map { "other\($0)" }
        try classes.joined(separator: "\n").write(toFile: folder + "/classes.txt", atomically: true, encoding: .utf8)
        let yaml = Self.yaml.replacingOccurrences(of: "seeds: [0, 1]", with: "seeds: [0]")
            .replacingOccurrences(of: "models:\n", with: "models:\n  - onnx: \(Fixtures.path("onnx/resnet/model.onnx"))\n    train_size: 16\n    classes: \(folder)/classes.txt\n")
            + "\nremedies: {run: [resize, bn-recal, fixres], at: [8]}\n"
        try yaml.write(toFile: folder + "/estimate.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions(configPath: folder + "/estimate.yaml", threads: 1)
        options.runsRoot = folder + "/runs"
        let plan = try planExperiment(options)
        let imported = try #require(plan.rows.first { $0.cell.model.onnx != nil })
        #expect(imported.trainingFLOPs == 0 && imported.remedyFLOPs == 0)
        #expect(imported.evaluationFLOPs > 0 && imported.speed.measured && imported.speed.trainingFLOPsPerSecond == nil)
        #expect(imported.estimatedSeconds == imported.evaluationFLOPs / imported.speed.forwardFLOPsPerSecond)
        let trained = try #require(plan.rows.first { $0.cell.model.onnx == nil })
        #expect(trained.trainingFLOPs > 0 && trained.remedyFLOPs > 0 && (trained.speed.trainingFLOPsPerSecond ?? 0) > 0)
        #expect(plan.estimateBasis.contains("model at 16 px evaluation "), "\(plan.estimateBasis)")
    }
}
