import Foundation
import Testing
@testable import Experiment

/// A cell stopped between epochs continues from its training state; a damaged state is ignored
/// with a logged reason. Either way results.csv equals an uninterrupted run's.
@Suite(.serialized)
struct ResumeTests {
    /// One cell of 4 epochs: 64 images in batches of 24 (the last one partial), with batch norm,
    /// dropout and AdamW so that every kind of saved state matters.
    static let experiment = """
        name: resume
        dataset:
          generated: {size: 16, period: 4, train_per_class: 16, test_per_class: 8, seed: 3}
        models:
          - name: small
            layers: [conv 3x3 4, bn, relu, dropout 0.2, maxpool 2, conv 3x3 8, relu, gap, dense classes]
        training:
          epochs: 4
          batch: 24
          resolutions: [16]
          optimizer: {kind: adamw, lr: 0.01}
          augmentation: {flip: true, random_crop: 2}
        evaluation:
          resolutions: [12, 16]
          methods: [bilinear]
        seeds: [0]
        """

    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "reslab-resume-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.experiment.write(toFile: folder + "/resume.yaml", atomically: true, encoding: .utf8)
    }

    func options(_ out: String) -> RunOptions {
        var options = RunOptions(configPath: folder + "/resume.yaml", threads: 1)
        options.out = folder + "/" + out
        options.skipReport = true
        return options
    }

    /// Runs into `out`; with `stop`, asks to stop after that (1-based) epoch and step and expects
    /// `.interrupted`. Returns the progress events.
    @discardableResult
    func run(_ out: String, stop: (epoch: Int, step: Int)? = nil) throws -> [ProgressEvent] {
        let control = RunControl()
        var events: [ProgressEvent] = []
        let progress = { (event: ProgressEvent) in
            events.append(event)
            if case let .step(_, epoch, _, step, _, _, _, _) = event, epoch == stop?.epoch, step == stop?.step {
                control.requestStop()
            }
        }
        if stop == nil {
            _ = try runExperiment(options(out), control: control, progress: progress)
        } else {
            #expect(throws: ExperimentError.interrupted(runFolder: folder + "/" + out)) {
                try runExperiment(options(out), control: control, progress: progress)
            }
        }
        return events
    }

    /// A stop while a retraining remedy trains names the run folder (whose rerun continues the
    /// remedy), not the remedy's nested one-cell folder.
    @Test func aStoppedRetrainingRemedyNamesTheRunFolder() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let yaml = Self.experiment + "\nremedies:\n  run: [multires]\n  at: [12]\n  multires: {sizes: [12, 16]}\n"
        try yaml.write(toFile: folder + "/resume.yaml", atomically: true, encoding: .utf8)
        let control = RunControl()
        var cellDone = false
        let progress = { (event: ProgressEvent) in
            if case .cellFinished = event { cellDone = true }
            if case .step = event, cellDone { control.requestStop() }
        }
        #expect(throws: ExperimentError.interrupted(runFolder: folder + "/remedy")) {
            try runExperiment(options("remedy"), control: control, progress: progress)
        }
        #expect(cellDone)
    }

    /// A stop during `reslab remedy --at/--only` advises rerunning that command: `run --resume`
    /// would continue only the run's own `remedies:` section, not the remedies asked for here.
    @Test func aStoppedRemedyCommandAdvisesRerunningIt() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try run("base")
        var options = RemedyOptions(runFolder: folder + "/base", threads: 1)
        options.at = [12]
        options.only = [.multires]
        options.skipReport = true
        let control = RunControl()
        let progress = { (event: ProgressEvent) in
            if case .step = event { control.requestStop() }
        }
        let error = #expect(throws: ExperimentError.self) { try runRemedies(options, control: control, progress: progress) }
        #expect(error == .interruptedRemedy(runFolder: folder + "/base"))
        #expect(error?.description == "Interrupted: the remedy results finished so far and the current retraining's state are saved in \(folder)/base. Rerun the same `reslab remedy \(folder)/base` command (with the same --at and --only) to continue.")
    }

    func results(_ out: String) throws -> String {
        try String(contentsOfFile: folder + "/" + out + "/results.csv", encoding: .utf8)
    }

    /// Stops after step 1, 2 or 3 of epoch 2 (3 steps of 24, 24 and 16 images). Before the last,
    /// partial batch the run goes on to the epoch's end (see `CellRunner.train`).
    @Test(arguments: [(1, "epoch 2, step 2"), (2, "epoch 3, step 1"), (3, "epoch 3, step 1")])
    func aStoppedCellContinuesToTheSameResults(step: Int, resumesAt: String) throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try run("reference")
        try run("stopped", stop: (2, step))
        let state = RunFolder(path: folder + "/stopped").trainingStateFile(try parseExperiment(yaml: Self.experiment, file: "x").cells[0])
        #expect(FileManager.default.fileExists(atPath: state))
        let events = try run("stopped")
        let resumed = events.compactMap { if case let .trainingResumed(_, epoch, step, _) = $0 { return "epoch \(epoch), step \(step)" }; return nil }
        #expect(resumed == [resumesAt])
        #expect(events.filter { if case .epochFinished = $0 { return true }; return false }.count == (step == 1 ? 3 : 2))
        #expect(try results("stopped") == results("reference"))
        #expect(!FileManager.default.fileExists(atPath: state), "the state of a finished cell is removed")
        let result = try storedResults(RunFolder(path: folder + "/stopped"))[0]
        #expect(result.epochs.map(\.epoch) == [1, 2, 3, 4])
        #expect(try result.epochs.map(\.loss) == storedResults(RunFolder(path: folder + "/reference"))[0].epochs.map(\.loss))
    }

    /// A stop during the evaluations: the rerun evaluates the trained model without training it again.
    @Test func aCellStoppedWhileEvaluatedIsNotTrainedAgain() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try run("reference")
        let control = RunControl()
        #expect(throws: ExperimentError.interrupted(runFolder: folder + "/stopped")) {
            try runExperiment(options("stopped"), control: control) { event in
                if case .evaluated = event { control.requestStop() }
            }
        }
        let events = try run("stopped")
        #expect(events.contains { if case .trainingResumed(_, epoch: 5, step: 1, epochs: 4) = $0 { return true }; return false })
        #expect(!events.contains { if case .step = $0 { return true }; return false })
        #expect(try results("stopped") == results("reference"))
        #expect(try storedResults(RunFolder(path: folder + "/stopped"))[0].epochs.count == 4)
    }

    @Test func aTruncatedStateIsIgnoredWithALoggedReason() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try run("reference")
        try run("damaged", stop: (1, 3))
        let run = RunFolder(path: folder + "/damaged")
        let state = run.trainingStateFile(try parseExperiment(yaml: Self.experiment, file: "x").cells[0])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: state))
        try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: state))
        let events = try self.run("damaged")
        let ignored = events.compactMap { if case let .trainingStateIgnored(_, reason) = $0 { return reason }; return nil }
        #expect(ignored.count == 1)
        #expect(ignored.first?.contains("The checkpoint \(state) was refused: it should hold") == true)
        #expect(ignored.first?.contains("(truncated)") == true)
        let log = try String(contentsOfFile: run.logFile, encoding: .utf8)
        #expect(log.contains("cell 0 ignores its training state and trains from the start: The checkpoint \(state) was refused"))
        #expect(events.filter { if case .epochFinished = $0 { return true }; return false }.count == 4)
        #expect(try results("damaged") == results("reference"))
    }
}
