import Foundation
import Testing
import TestSupport

/// What `reslab run` prints when its standard error is not a terminal (a log file, Slurm, CI).
struct ProgressLogEndToEndTests {
    @Test func oneLinePerEpochWithHeldOutFigures() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-log")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OverrideEndToEndTests.experiment.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        let outcome = try ReslabBinary.run(["run", "small.yaml", "--set", "training.epochs=3", "--out", "r", "--threads", "1"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        let epochLines = lines.filter { $0.hasPrefix("  epoch ") }
        #expect(epochLines.count == 3, "\(outcome.stderr)")
        for (index, line) in epochLines.enumerated() {
            // "  epoch 2/3: train loss 1.3412, held-out 41.2% (loss 1.3001), 0.1 s"
            #expect(line.hasPrefix("  epoch \(index + 1)/3: train loss "), "\(line)")
            #expect(line.contains(", held-out ") && line.contains("% (loss "), "\(line)")
        }
        #expect(!outcome.stderr.contains("\r") && !outcome.stderr.contains(" step "), "no progress bar or step lines in a log")
        // The result stores the held-out figures per epoch, as the report's training curves read them.
        let result = try String(contentsOfFile: folder + "/r/cells/cell-0000.json", encoding: .utf8)
        #expect(result.components(separatedBy: "\"heldOutTop1\"").count - 1 == 3)
        let report = try String(contentsOfFile: folder + "/r/report.html", encoding: .utf8)
        #expect(report.contains("<h2>Training curves</h2>"))
        #expect(FileManager.default.fileExists(atPath: folder + "/r/summary.json"))
    }
}
