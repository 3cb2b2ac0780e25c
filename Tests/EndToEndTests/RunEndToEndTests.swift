import Foundation
import Testing
import TestSupport

/// `reslab run` as a user runs it: the real binary, killed and resumed.
@Suite(.serialized)
struct RunEndToEndTests {
    /// Three cells on a tiny generated dataset: each takes a fraction of a second.
    static let tinyExperiment = """
        name: tiny
        dataset:
          generated: {size: 16, period: 4, train_per_class: 48, test_per_class: 16, seed: 3}
        models:
          - name: flat
            layers: [conv 3x3 4, relu, maxpool 2, flatten, dense classes]
          - name: gap
            layers: [conv 3x3 4, relu, maxpool 2, conv 3x3 8, relu, gap, dense classes]
        training:
          epochs: 12
          batch: 16
          resolutions: [16]
          augmentation: {flip: true, random_crop: 2}
        evaluation:
          resolutions: [8, 12, 16, 24]
          methods: [nearest, bilinear]
        seeds: [0, 1]
        """

    func makeExperiment() throws -> String {
        let folder = try ReslabBinary.temporaryFolder("e2e")
        try Self.tinyExperiment.write(toFile: folder + "/tiny.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    func results(_ folder: String, _ run: String) throws -> String {
        try String(contentsOfFile: folder + "/" + run + "/results.csv", encoding: .utf8)
    }

    @Test func twoRunsWithOneSeedAndOneThreadAgree() throws {
        let folder = try makeExperiment()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for run in ["a", "b"] {
            let outcome = try ReslabBinary.run(["run", "tiny.yaml", "--out", run, "--threads", "1", "--quiet"], in: folder)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("Report: \(run)/report.html"))
        }
        let a = try results(folder, "a")
        #expect(a.split(separator: "\n").count == 1 + 4 * 4 * 2)
        let report = try String(contentsOfFile: folder + "/a/report.html", encoding: .utf8)
        #expect(report.contains("Findings") && report.contains("<svg"))
        #expect(a == (try results(folder, "b")))
        let predictions = "/predictions/cell-0003/r12-nearest.csv"
        #expect(try String(contentsOfFile: folder + "/a" + predictions, encoding: .utf8)
                == String(contentsOfFile: folder + "/b" + predictions, encoding: .utf8))
    }

    /// `--no-report` (what Slurm array tasks pass) stores the cell and results.csv, not report.html.
    @Test func noReportLeavesTheReportToLater() throws {
        let folder = try makeExperiment()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try ReslabBinary.run(["run", "tiny.yaml", "--out", "r", "--cell", "1", "--no-report", "--threads", "1", "--quiet"],
                                           in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Results: r/results.csv") && !outcome.stdout.contains("Report:"))
        #expect(FileManager.default.fileExists(atPath: folder + "/r/cells/cell-0001.json"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/r/report.html"))
    }

    /// Interrupts a run once its first cell is stored, resumes it with the same command, and
    /// checks that the results equal an uninterrupted run's.
    @Test(arguments: [SIGINT, SIGKILL])
    func killedRunResumesToTheSameResults(signal: Int32) throws {
        let folder = try makeExperiment()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["run", "tiny.yaml", "--threads", "1", "--quiet"]
        let reference = try ReslabBinary.run(arguments + ["--out", "reference"], in: folder)
        #expect(reference.status == 0, "\(reference.stderr)")

        let (process, out, err) = try ReslabBinary.start(arguments, in: folder)
        try waitForFile(matching: "cells/cell-0000.json", under: folder + "/runs", while: process)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let interrupted = ReslabBinary.outcome(process, out, err)
        if signal == SIGINT {
            #expect(interrupted.status == 130)
            #expect(interrupted.stderr.contains("Interrupted: finished cells and the current cell's training state are saved in runs/tiny-"))
        }
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs")
        #expect(runs.count == 1)
        let finishedBefore = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs/\(runs[0])/cells")
        #expect(finishedBefore.filter { $0.hasSuffix(".json") }.count < 4, "the run finished before the signal")
        #expect(!finishedBefore.contains { $0.hasSuffix(".tmp") })

        let resumed = try ReslabBinary.run(arguments, in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/runs") == runs)
        #expect(try results(folder, "runs/" + runs[0]) == results(folder, "reference"))
    }

    /// One cell of 30 short epochs (96 images in batches of 20, the last partial) with batch norm,
    /// dropout and SGD momentum: killed once its first epoch's training state exists, so mid-cell.
    static let longCell = """
        name: long
        dataset:
          generated: {size: 16, period: 4, train_per_class: 24, test_per_class: 16, seed: 3}
        models:
          - name: bn
            layers: [conv 3x3 8, bn, relu, dropout 0.1, maxpool 2, conv 3x3 8, relu, gap, dense classes]
        training:
          epochs: 30
          batch: 20
          resolutions: [16]
          optimizer: {kind: sgd, lr: 0.05, momentum: 0.9, nesterov: true}
          augmentation: {flip: true, random_crop: 2}
        evaluation:
          resolutions: [12, 16]
          methods: [nearest, bilinear]
        seeds: [4]
        """

    /// Kills the only cell of a run after ≥ 1 epoch, resumes it with the same command, and checks
    /// that it continued from its training state (not from the start) to an uninterrupted run's
    /// results.csv, byte for byte.
    @Test(arguments: [SIGINT, SIGKILL])
    func cellKilledMidTrainingContinuesToTheSameResults(signal: Int32) throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-long")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.longCell.write(toFile: folder + "/long.yaml", atomically: true, encoding: .utf8)
        let arguments = ["run", "long.yaml", "--threads", "1", "--quiet"]
        let reference = try ReslabBinary.run(arguments + ["--out", "reference"], in: folder)
        #expect(reference.status == 0, "\(reference.stderr)")

        let (process, out, err) = try ReslabBinary.start(arguments + ["--out", "killed"], in: folder)
        try waitForFile(matching: "checkpoints/cell-0000.state", under: folder, while: process)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        _ = ReslabBinary.outcome(process, out, err)
        #expect(!FileManager.default.fileExists(atPath: folder + "/killed/cells/cell-0000.json"), "the cell finished before the signal")

        let resumed = try ReslabBinary.run(arguments + ["--out", "killed"], in: folder)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let log = try String(contentsOfFile: folder + "/killed/log.txt", encoding: .utf8)
        #expect(log.contains("cell 0 continues from its training state at epoch "))
        #expect(try results(folder, "killed") == results(folder, "reference"))
    }

    /// Polls every 5 ms until a file ending in `suffix` exists below `root`.
    func waitForFile(matching suffix: String, under root: String, while process: Process) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && process.isRunning {
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            if runs.contains(where: { FileManager.default.fileExists(atPath: root + "/" + $0 + "/" + suffix) }) { return }
            usleep(5_000)
        }
        Issue.record("\(suffix) did not appear while the run was going")
    }

    @Test func configErrorsReachTheUserVerbatim() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-config")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "dataset: {generated: {}}\nmodels: [{zoo: gap-cnn}]\ntraining: {epochs: ten, bach: 32}\n"
            .write(toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        let outcome = try ReslabBinary.run(["run", "bad.yaml"], in: folder)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("""
            bad.yaml has 2 problems:
              bad.yaml:3: training.epochs: expected an integer, found `ten`.
              bad.yaml:3: training.bach: unknown key; did you mean `batch`? known keys here: epochs, batch, resolutions, optimizer, schedule, augmentation, label_smoothing, method, antialias, multi_resolution.
            """))
    }

    @Test func emptyClassFolderIsRefusedWithTheDatasetsMessage() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-empty")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Fixtures.path("tiny-folder"), toPath: folder + "/shapes")
        try FileManager.default.createDirectory(atPath: folder + "/shapes/hexagon", withIntermediateDirectories: true)
        try "dataset: {folder: shapes}\nmodels: [{zoo: gap-cnn}]\n".write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let outcome = try ReslabBinary.run(["run", "e.yaml", "--quiet"], in: folder)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("Error: Class folder 'hexagon' in shapes holds no readable PNG or JPEG image; add images or remove the folder"))
    }
}
