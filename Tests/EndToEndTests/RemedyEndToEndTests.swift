import Foundation
import Testing
import TestSupport

/// `reslab remedy RUN` and a `remedies:` section, as a user runs them: the real binary on a tiny
/// generated dataset, one thread (bit-reproducible).
@Suite(.serialized)
struct RemedyEndToEndTests {
    /// One model with batch norm, two epochs, one seed: a run takes about a second.
    static func experiment(remedies: String = "", multiResolution: String = "") -> String {
        """
        name: tiny-remedies
        dataset:
          generated: {size: 16, period: 4, train_per_class: 48, test_per_class: 16, seed: 3}
        models:
          - name: bn
            layers: [conv 3x3 4, bn, relu, maxpool 2, conv 3x3 8, bn, relu, maxpool 2, gap]
        training:
          epochs: 2
          batch: 16
          resolutions: [16]
        \(multiResolution)
        evaluation:
          resolutions: [10, 12, 16, 24]
          methods: [bilinear]
        seeds: [0]
        \(remedies)
        """
    }

    func folder(_ yaml: String) throws -> String {
        let folder = try ReslabBinary.temporaryFolder("remedy")
        try yaml.write(toFile: folder + "/tiny.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    func results(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path + "/results.csv", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func remedyCommandTreatsAFinishedRunAndResumes() throws {
        let dir = try folder(Self.experiment())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ReslabBinary.run(["run", "tiny.yaml", "--out", "a", "--threads", "1", "--quiet"], in: dir).status == 0)
        let untreated = try results(dir + "/a")
        #expect(untreated[0].last == "remedy" && untreated.dropFirst().allSatisfy { $0.last == "" })

        let first = try ReslabBinary.run(["remedy", "a", "--at", "10,24", "--only", "bn-recal,resize,rounding", "--threads", "1", "--quiet"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Report: a/report.html"))
        let table = try results(dir + "/a")
        let treated = table.filter { ["bn-recal", "resize", "rounding"].contains($0.last!) }
        #expect(treated.count == 3 * 2)
        #expect(Set(treated.map { $0[3] }) == ["10", "24"])
        // Rounding at 24 px: 24 → 12 → 6, both pools tile their input, so the swap is the identity
        // and its row equals the untreated one but for the remedy column.
        let untreated24 = table.first { $0[3] == "24" && $0.last == "" }!
        let rounding24 = table.first { $0[3] == "24" && $0.last == "rounding" }!
        #expect(Array(rounding24.dropLast()) == Array(untreated24.dropLast()))
        let report = try String(contentsOfFile: dir + "/a/report.html", encoding: .utf8)
        #expect(report.contains("<section id=\"remedies\"><h2>What to do</h2>") && report.contains("re-estimating batch norm at 10 px"))

        // Done remedies are kept: a second call changes nothing.
        let csv = try String(contentsOfFile: dir + "/a/results.csv", encoding: .utf8)
        let again = try ReslabBinary.run(["remedy", "a", "--at", "10,24", "--only", "bn-recal,resize,rounding", "--threads", "1"], in: dir)
        #expect(again.status == 0)
        #expect(!again.stderr.contains("to apply"), "no remedy ran again: \(again.stderr)")
        #expect(try String(contentsOfFile: dir + "/a/results.csv", encoding: .utf8) == csv)
    }

    @Test func remedyCommandRefusesWhatTheRunCannotPair() throws {
        let dir = try folder(Self.experiment())
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ReslabBinary.run(["run", "tiny.yaml", "--out", "a", "--threads", "1", "--quiet"], in: dir).status == 0)
        let size = try ReslabBinary.run(["remedy", "a", "--at", "20", "--threads", "1"], in: dir)
        #expect(size.status != 0)
        #expect(size.stderr.contains("Error: --at: 20 px is not among the evaluated sizes (10, 12, 16, 24); a remedy is compared with the untreated model at the same size, so pick a size the run tested."))
        let name = try ReslabBinary.run(["remedy", "a", "--at", "10", "--only", "bn-recall"], in: dir)
        #expect(name.stderr.contains("--only: `bn-recall` is not a remedy; use resize, rounding, bn-recal, fixres, multires, blurpool."))
        let none = try ReslabBinary.run(["remedy", "a"], in: dir)
        #expect(none.stderr.contains("Error: The run a has no `remedies:` section naming test sizes; pass them with --at, e.g. --at 20,48."))
    }

    /// A `remedies:` section runs with the experiment; the retraining remedy (multires) is as
    /// reproducible as any cell: two runs give the same results.csv, and it is not the
    /// single-size model.
    @Test func remediesSectionRunsWithTheExperimentReproducibly() throws {
        let remedies = """
            remedies:
              run: [multires, fixres]
              at: [10, 24]
              fixres: {images: 64, batch: 16}
              multires: {sizes: [12, 16, 20]}
            """
        let dir = try folder(Self.experiment(remedies: remedies))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for run in ["a", "b"] {
            let outcome = try ReslabBinary.run(["run", "tiny.yaml", "--out", run, "--threads", "1", "--quiet"], in: dir)
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let a = try results(dir + "/a")
        #expect(a == (try results(dir + "/b")))
        #expect(a.filter { $0.last == "multires" }.count == 2 && a.filter { $0.last == "fixres" }.count == 2)
        let untreated10 = a.first { $0[3] == "10" && $0.last == "" }!, multires10 = a.first { $0[3] == "10" && $0.last == "multires" }!
        #expect(untreated10[9] != multires10[9], "the multires model is another model (its loss differs)")
        #expect(FileManager.default.fileExists(atPath: dir + "/a/remedies/cell-0000/multires/checkpoints/cell-0000.ckpt"))
    }

    /// A flatten model runs only at its training size: the resize remedy makes it run at 10 px,
    /// batch-norm recalibration and the rounding swap record why they cannot, and multires
    /// (which would train it at other sizes) is skipped with a line in log.txt.
    @Test func remediesOfAFlattenModelSayWhyTheyCannotRun() throws {
        let yaml = Self.experiment().replacingOccurrences(of: "layers: [conv 3x3 4, bn, relu, maxpool 2, conv 3x3 8, bn, relu, maxpool 2, gap]",
                                                          with: "layers: [conv 3x3 4, bn, relu, maxpool 2, flatten]")
        let dir = try folder(yaml)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try ReslabBinary.run(["run", "tiny.yaml", "--out", "a", "--threads", "1", "--quiet"], in: dir).status == 0)
        let outcome = try ReslabBinary.run(["remedy", "a", "--at", "10", "--only", "resize,bn-recal,rounding,multires", "--threads", "1", "--quiet"], in: dir)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let rows = try results(dir + "/a").filter { $0[3] == "10" }
        #expect(rows.first { $0.last == "" }?[7] == "", "untreated: cannot run")
        #expect(rows.first { $0.last == "resize" }.map { Double($0[7])! > 0 } == true, "resized to 16 px it runs")
        for remedy in ["bn-recal", "rounding"] {
            #expect(rows.first { $0.last == remedy }?.contains { $0.contains("cannot run: ") && $0.contains("flatten ties the model to its training resolution") } == true, "\(remedy)")
        }
        #expect(!rows.contains { $0.last == "multires" })
        let log = try String(contentsOfFile: dir + "/a/log.txt", encoding: .utf8)
        #expect(log.contains("cell 0 remedy multires skipped: bn cannot train at 10 px"))
    }

    /// The rounding swap of graph models at 15 px (trained at 16): a residual stage whose pool and
    /// 2×2 projection both drop row 14 under floor (⌊13/2⌋ + 1 = 7; ceil 8) is swapped at both,
    /// named as the architecture table names the nodes; a ceil model with a 1×1 projection (8 rows
    /// under either rule) cannot be swapped without the add's inputs disagreeing (7 against 8), so
    /// its row says why, and the report lists it as not measured, not among remedies that do not
    /// help; the same model with floor cannot run at 15 px (7 against 8) until the swap makes its
    /// pool give 8, so that remedy is measured but not compared.
    @Test func roundingSwapOfGraphModelsNamesTheNodesOrSaysWhyNot() throws {
        let yaml = Self.experiment().replacingOccurrences(of: """
              - name: bn
                layers: [conv 3x3 4, bn, relu, maxpool 2, conv 3x3 8, bn, relu, maxpool 2, gap]
            """, with: """
              - name: swapped
                graph: [conv 3x3 4, {residual: [maxpool 2, conv 3x3 4], shortcut: [conv 2x2 4 stride 2 pad 0]}, gap]
              - name: refused
                graph: [conv 3x3 4, {residual: [maxpool 2, conv 3x3 4], shortcut: [conv 1x1 4 stride 2 pad 0]}, gap]
                rounding: ceil
              - name: rescued
                graph: [conv 3x3 4, {residual: [maxpool 2, conv 3x3 4], shortcut: [conv 1x1 4 stride 2 pad 0]}, gap]
            """).replacingOccurrences(of: "resolutions: [10, 12, 16, 24]", with: "resolutions: [15, 16]")
        let dir = try folder(yaml)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try ReslabBinary.run(["run", "tiny.yaml", "--out", "a", "--threads", "1", "--quiet"], in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let remedy = try ReslabBinary.run(["remedy", "a", "--at", "15", "--only", "rounding,blurpool", "--threads", "1", "--quiet"], in: dir)
        #expect(remedy.status == 0, "\(remedy.stderr)")
        // The BlurPool variant of a graph is retrained like a list's: the 2×2 projection runs at
        // stride 1 with a blur after it (15 → 14 → 7, as the body's maxpool 2 stride 1 and blur),
        // the 1×1 projection is blurred first (15 → 8) and no longer matches the body's 7.
        let blurRows = try results(dir + "/a").filter { $0.last == "blurpool" && $0[3] == "15" }
        #expect(blurRows.count == 3)
        #expect(blurRows.first { $0[1] == "swapped" }?.contains { $0.hasPrefix("cannot run") } == false, "\(blurRows)")
        for name in ["refused", "rescued"] {
            #expect(blurRows.first { $0[1] == name }?.contains { $0.contains("cannot run: The node \"\"2.add\"\" (add): its inputs have shapes 7×7×4 and 8×8×4 at 15×15 input") } == true, "\(name)")
        }
        func note(_ cell: Int, _ remedy: String = "rounding") throws -> String? {
            let file = dir + "/a/remedies/cell-000\(cell)/\(remedy)-r15-bilinear.json"
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
            return json?["note"] as? String
        }
        #expect(try note(0) == "swapped 2.1: maxpool 2 to ceil, 2.shortcut.1: conv 2x2 4 stride 2 pad 0 to ceil")
        #expect(try note(2) == "swapped 2.1: maxpool 2 to ceil")
        #expect(try note(0, "blurpool") == "retrained, 2 epochs: conv 3x3 4, residual [maxpool 2 stride 1, blurpool 2, conv 3x3 4 | shortcut conv 2x2 4 pad 0, blurpool 2], gap")
        // results.csv quotes the sentence (it holds commas), doubling its quotes.
        let csv = try String(contentsOfFile: dir + "/a/results.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").filter { $0.contains(",15,") && $0.hasSuffix(",rounding") }
        #expect(rows.count == 3)
        #expect(rows.contains { $0.contains("cannot run: The node \"\"2.add\"\" (add): with the rounding swapped at \"\"2.1\"\" (maxpool 2 ceil → floor), its inputs would be 7×7×4 and 8×8×4 at 15×15 input, and no node on its other input paths has a rule that makes them match") }, "\(rows)")
        #expect(rows.filter { !$0.contains("cannot run") }.count == 2, "the swapped models were measured: \(rows)")
        let report = try String(contentsOfFile: dir + "/a/report.html", encoding: .utf8)
        #expect(report.contains("Not measured: the other rounding rule (floor ↔ ceil) at 15 px (cannot run: The node &quot;2.add&quot; (add): with the rounding swapped"))
        #expect(!report.contains("Not helping (no difference the test supports): the other rounding rule (floor ↔ ceil) at 15 px (cannot run"))
        #expect(report.contains("At 15 px (untreated not measured). Not measured: the BlurPool variant, retrained (cannot run: The node &quot;2.add&quot; (add): its inputs have shapes 7×7×4 and 8×8×4 at 15×15 input; they must match, or one must be 1×1×4 to be broadcast.). Not compared: the other rounding rule (floor ↔ ceil) at 15 px "))
        #expect(report.contains("% (the untreated model cannot run here)."))
    }
}
