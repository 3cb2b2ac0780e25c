import Foundation
import Testing
import TestSupport

/// `reslab run EXPERIMENT --set PATH=VALUE` as a user types it.
struct OverrideEndToEndTests {
    static let experiment = """
        name: small
        dataset:
          generated: {size: 16, period: 4, train_per_class: 16, test_per_class: 8, seed: 3}
        models:
          - name: gap
            layers: [conv 3x3 4, relu, gap, dense classes]
        training:
          epochs: 12
          batch: 16
          resolutions: [16]
        evaluation:
          resolutions: [8, 16]
          methods: [bilinear, bicubic, lanczos]
        """

    func folder() throws -> String {
        let folder = try ReslabBinary.temporaryFolder("e2e-set")
        try Self.experiment.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func overridesReachTheRunAndItsResolvedConfig() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try ReslabBinary.run(["run", "small.yaml", "--set", "training.epochs=2", "--set", "evaluation.methods=[nearest,bilinear]",
                                            "--out", "r", "--threads", "1", "--quiet"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let resolved = try String(contentsOfFile: folder + "/r/config.resolved.yaml", encoding: .utf8)
        #expect(resolved.hasPrefix("""
            # experiment.yaml with these overrides applied:
            #   --set training.epochs=2
            #   --set evaluation.methods=[nearest,bilinear]

            """), "\(resolved)")
        #expect(resolved.contains("epochs: 2"))
        let result = try String(contentsOfFile: folder + "/r/cells/cell-0000.json", encoding: .utf8)
        #expect(result.components(separatedBy: "\"epoch\" :").count - 1 == 2, "two epochs trained: \(result)")
        let csv = try String(contentsOfFile: folder + "/r/results.csv", encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 1 + 2 * 2, "2 resolutions × 2 methods: \(csv)")
        #expect(!csv.contains("bicubic"))
    }

    @Test func aBadOverrideIsNamed() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try ReslabBinary.run(["run", "small.yaml", "--set", "training.epoch=2"], in: folder)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("""
            small.yaml has 1 problem:
              --set training.epoch=2: training.epoch: unknown key; did you mean `epochs`?
            """), "\(outcome.stderr)")
        let malformed = try ReslabBinary.run(["run", "small.yaml", "--set", "training.epochs"], in: folder)
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("--set training.epochs: write it as PATH=VALUE, e.g. training.epochs=2."), "\(malformed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/runs"))
    }
}
