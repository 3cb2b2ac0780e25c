import Foundation
import Testing
import TestSupport

/// `reslab compare RUN_A RUN_B`: one report over several runs.
@Suite(.serialized)
struct CompareEndToEndTests {
    func run(_ extra: [String], out: String, in folder: String) throws {
        let outcome = try ReslabBinary.run(["run", "small.yaml", "--out", out, "--threads", "1", "--quiet"] + extra, in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func overlaysRunsWithPairedTestsOnTheSameImages() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-compare")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try OverrideEndToEndTests.experiment.write(toFile: folder + "/small.yaml", atomically: true, encoding: .utf8)
        try run(["--set", "training.epochs=2"], out: "short", in: folder)
        try run(["--set", "training.epochs=6"], out: "long", in: folder)
        try run(["--set", "training.epochs=2", "--set", "dataset.generated.seed=4"], out: "other", in: folder)

        let same = try ReslabBinary.run(["compare", "short", "long", "-o", "c"], in: folder)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout == "The runs tested the same images: differences are paired tests.\nReport: c/report.html\n")
        let report = try String(contentsOfFile: folder + "/c/report.html", encoding: .utf8)
        let accuracy = report.components(separatedBy: "<section id=\"accuracy\">")[1].components(separatedBy: "</section>")[0]
        // One panel for the model both runs trained, with each run's three methods overlaid.
        #expect(accuracy.components(separatedBy: "class=\"panel\"").count - 1 == 1)
        #expect(accuracy.components(separatedBy: "<g class=\"series\"").count - 1 == 6)
        #expect(accuracy.contains("short · bilinear (antialiased)") && accuracy.contains("long · lanczos (antialiased)"))
        // Paired differences against the first run's first method, image by image.
        #expect(report.contains("<section id=\"methods\">") && report.contains("Holm-adjusted p"))
        #expect(FileManager.default.fileExists(atPath: folder + "/c/summary.json"))

        let different = try ReslabBinary.run(["compare", "short", "other", "-o", "d"], in: folder)
        #expect(different.status == 0, "\(different.stderr)")
        #expect(different.stdout.hasPrefix("The runs tested different images: no paired tests"))
        #expect(!(try String(contentsOfFile: folder + "/d/report.html", encoding: .utf8)).contains("<section id=\"methods\">"))

        let one = try ReslabBinary.run(["compare", "short"], in: folder)
        #expect(one.status != 0 && one.stderr.contains("Cannot compare: give two or more run folders to compare"), "\(one.stderr)")
        let missing = try ReslabBinary.run(["compare", "short", "nowhere"], in: folder)
        #expect(missing.status != 0 && missing.stderr.contains("nowhere is not a reslab run folder"), "\(missing.stderr)")
    }
}
