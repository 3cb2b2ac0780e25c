import Foundation
import Testing
import TestSupport

/// The probe suite (issue #19): inputs an attacker or a careless user gives, each run through the
/// real binary under a time limit. Every case must end in a sentence naming the file, line or
/// option (pinned here), never in a crash, a hang, an overwritten user file or a non-finite number.
@Suite(.serialized)
struct ProbeTests {
    static let tinyData = """
        dataset:
          generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4, seed: 3}
        models:
          - name: gap
            layers: [conv 3x3 4, relu, gap, dense classes]

        """

    /// An experiment text and the sentence its refusal must contain.
    static let refusedExperiments: [(String, String)] = [
        ("name: ../evil\n" + tinyData,
         "e.yaml:1: name: `../evil` is not a plain folder name"),
        ("name: \"a\\nb\"\n" + tinyData,
         "e.yaml:1: name: the experiment name must not contain control characters such as a newline."),
        (tinyData + "training: {batch: 9223372036854775807}\n",
         "e.yaml:6: training.batch: 9223372036854775807 is outside 1...65536 images per batch."),
        (tinyData + "evaluation: {resolutions: [100000]}\n",
         "e.yaml:6: evaluation.resolutions[0]: 100000 is outside 1...4096 pixels."),
        (tinyData + "evaluation: {resolutions: {from: 1, to: 9223372036854775807, step: 1}}\n",
         "e.yaml:6: evaluation.resolutions.to: 9223372036854775807 is above the largest resolution, 4096 pixels."),
        (tinyData + "evaluation: {crop: {crop_pct: 1.0e-300}}\n",
         "e.yaml:6: evaluation.crop.crop_pct: must be at least 0.05"),
        (tinyData + "training: {schedule: {warmup_epochs: .inf}}\n",
         "e.yaml:6: training.schedule.warmup_epochs: must be a finite number, not inf."),
        (tinyData + "training: {optimizer: {lr: .inf}}\n",
         "e.yaml:6: training.optimizer.lr: must be a finite number, not inf."),
        ("dataset: {generated: {size: 16}}\nmodels:\n  - name: big\n    layers: [conv 3x3 1000000000, relu, gap, dense classes]\n",
         "e.yaml:4: models[0].layers[0]: `conv 3x3 1000000000`: at most 65536 filters."),
        ("dataset: {generated: {size: 16}}\nmodels:\n  - name: wide\n    layers: [conv 3x3 512, relu, conv 3x3 512, gap, dense classes]\ntraining: {resolutions: [512], batch: 256}\n",
         "Training wide at 512 px with batch 256 needs about 128.79 GiB of memory, more than the 1.00 GiB allowed (--memory-gib); lower training.batch or the training resolution."),
    ]

    /// Each refused experiment stops before anything is made: no run folder, no runs/ folder.
    @Test(arguments: refusedExperiments.indices)
    func experimentOutsideTheLimitsIsRefusedAtItsLine(index: Int) throws {
        let (text, expected) = Self.refusedExperiments[index]
        let folder = try ReslabBinary.temporaryFolder("probe-limits")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try text.write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let outcome = try Probe.run(["run", "e.yaml", "--threads", "1", "--quiet", "--memory-gib", "1"], in: folder, limit: 20)
        #expect(!outcome.timedOut && !outcome.crashed)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(expected), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["e.yaml"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/../evil"))
    }

    /// `--out` into a folder of the user's refuses and leaves the user's files as they were.
    @Test func outIntoAForeignFolderIsRefused() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-out")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.tinyData.write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder + "/mine", withIntermediateDirectories: true)
        try "my report".write(toFile: folder + "/mine/report.html", atomically: true, encoding: .utf8)
        let outcome = try Probe.run(["run", "e.yaml", "--out", "mine", "--threads", "1", "--quiet"], in: folder)
        #expect(outcome.status == 1 && !outcome.crashed)
        #expect(outcome.stderr.contains("--out mine holds report.html, which reslab did not write; a run folder is rewritten in place"),
                "\(outcome.stderr)")
        #expect(try String(contentsOfFile: folder + "/mine/report.html", encoding: .utf8) == "my report")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/mine") == ["report.html"])
    }

    /// Symbolic links back into the tree and a FIFO named like an image: the scan sees each
    /// image once, under its own class, and never blocks on the FIFO.
    @Test func linkCyclesAndFIFOsAreSkippedWithSentences() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-walk")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Probe.writeDataset(folder + "/ds")
        try FileManager.default.createSymbolicLink(atPath: folder + "/ds/a/loop", withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: folder + "/ds/a/up", withDestinationPath: "..")
        #expect(mkfifo(folder + "/ds/b/x.png", 0o644) == 0)
        let outcome = try Probe.run(["inspect", "ds"], in: folder, limit: 20)
        #expect(!outcome.timedOut && outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("ds: 2 classes, 8 images (6 train, 2 test), 3 skipped"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("ds/a/loop: it leads to a folder that is scanned elsewhere (a link cycle, or a second link to one folder)"))
        #expect(outcome.stdout.contains("ds/a/up: it leads to a folder that is scanned elsewhere"))
        #expect(outcome.stdout.contains("ds/b/x.png: it is not a regular file (a FIFO, socket or device), so it was not opened"))
    }

    /// A dataset whose split leaves no test image is refused before training (it used to print
    /// `top-1 -nan%`), and the refused start leaves no run folder behind.
    @Test func noTestImagesIsRefusedBeforeTraining() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-notest")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Probe.writeDataset(folder + "/one", perClass: 1)
        try "dataset: {folder: one}\nmodels:\n  - {name: g, layers: [conv 3x3 4, relu, gap, dense classes]}\n"
            .write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        for arguments in [["--plan"], ["--out", "r", "--quiet"]] {
            let outcome = try Probe.run(["run", "e.yaml"] + arguments, in: folder)
            #expect(outcome.status == 1 && !outcome.crashed)
            #expect(outcome.stderr.contains("one has no readable test image, so no accuracy can be measured"), "\(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/r"))
    }

    /// A learning rate of 10⁵ explodes the loss in the first steps: the cell stops with a
    /// sentence naming epoch, loss and learning rate, and no result holds a non-finite number.
    @Test func divergenceStopsTheCell() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-diverge")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try (Self.tinyData + "training: {epochs: 3, batch: 8, optimizer: {kind: sgd, lr: 100000}, schedule: {kind: constant}}\n")
            .write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let outcome = try Probe.run(["run", "e.yaml", "--out", "r", "--threads", "1", "--quiet"], in: folder)
        #expect(outcome.status == 1 && !outcome.crashed)
        #expect(outcome.stderr.contains("Training of gap@32px seed 0 diverged in epoch 1"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("at learning rate 100000. Lower training.optimizer.lr"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/r/cells").isEmpty)
        #expect(Probe.textFiles(under: folder + "/r").map(\.path).contains("data.json"))
        #expect(Probe.nonFiniteNumbers(under: folder + "/r") == [])
    }

    /// Inputs that invite 0/0 in every output: one-colour images (no energy above any Nyquist
    /// limit, no spread), a model that barely trains (learning rate 10⁻⁹: the same answer for
    /// every image), a test size the model cannot run at (2 px), and remedies that change nothing
    /// (the rounding swap where both rules agree). The run, its report, the remedies and an eval
    /// of its checkpoint finish, and no file they write holds a non-finite number.
    @Test func degenerateRunsWriteOnlyFiniteNumbers() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-finite")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Probe.writeDataset(folder + "/ds", perClass: 5)
        try """
            dataset: {folder: ds}
            models:
              - {name: g, layers: [conv 3x3 4, bn, relu, maxpool 2, conv 3x3 4, relu, gap, dense classes]}
            training: {epochs: 1, batch: 4, resolutions: [8], optimizer: {lr: 1.0e-9}}
            evaluation: {resolutions: [2, 8, 12], methods: [bilinear, nearest]}
            remedies: {run: [resize, rounding, bn-recal], at: [12]}

            """.write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let commands = [["run", "e.yaml", "--out", "r", "--threads", "1", "--quiet"], ["report", "r"],
                        ["eval", "--model", "r/checkpoints/cell-0000.ckpt", "--data", "ds", "--resolutions", "2,8,12",
                         "--out", "ev", "--threads", "1", "--quiet"]]
        for arguments in commands {
            let outcome = try Probe.run(arguments, in: folder, limit: 120)
            #expect(outcome.status == 0 && !outcome.timedOut, "\(arguments[0]): \(outcome.stderr)")
        }
        for run in ["r", "ev"] {
            let scanned = Probe.textFiles(under: folder + "/" + run).map(\.path)
            for file in ["results.csv", "summary.json", "data.json", "report.html", "cells/cell-0000.json"] {
                #expect(scanned.contains(file), "\(run)/\(file) was not written")
            }
            #expect(scanned.contains { $0.hasPrefix("predictions/") })
            #expect(Probe.nonFiniteNumbers(under: folder + "/" + run) == [])
        }
        #expect(Probe.textFiles(under: folder + "/r").contains { $0.path.hasPrefix("remedies/") })
    }

    /// Sizes near 2⁶³ given to `reslab resize` reach Resample (built -Ounchecked) only after a
    /// checked multiplication: a sentence, not a heap assertion or SIGSEGV.
    @Test(arguments: [
        (["--zone-plate", "64", "--size", "9223372036854775807", "-o", "x.png"], "--size 9223372036854775807" + ProbeTests.tooLarge),
        (["--zone-plate", "64", "--size", "4000000000x4000000000", "-o", "x.png"], "--size 4000000000x4000000000" + ProbeTests.tooLarge),
        (["--zone-plate", "100000", "--montage", "m.png"], "--zone-plate 100000" + ProbeTests.tooLarge),
        (["--zone-plate", "64", "--sizes", "8,3000000000", "--montage", "m.png"], "--sizes 8,3000000000" + ProbeTests.tooLarge),
        (["--zone-plate", "64", "--size", "32", "--geometry", "center-crop", "--crop-pct", "1e-300", "-o", "x.png"],
         "--crop-pct 1e-300 must lie in 0.05...1, e.g. 0.875."),
        (["--zone-plate", "-5", "--montage", "m.png"], "--zone-plate -5 must be a positive size in pixels, e.g. 256."),
        (["missing.png", "--size", "8", "-o", "x.png"], "missing.png could not be read: no such file."),
    ])
    func hugeResizeSizesAreRefused(arguments: [String], expected: String) throws {
        let folder = try ReslabBinary.temporaryFolder("probe-resize")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try Probe.run(["resize"] + arguments, in: folder, limit: 20)
        #expect(!outcome.timedOut && !outcome.crashed)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(expected), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.png") && !FileManager.default.fileExists(atPath: folder + "/m.png"))
    }

    /// An eval whose images are all unreadable (0-byte files) fails with a sentence naming the
    /// class folder, leaves no run folder, and the same `--out` works at once with good images.
    @Test func aFailedEvalLeavesNoFolderBehind() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-evalfail")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Probe.writeDataset(folder + "/ds")
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: folder + "/empty/" + name, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: folder + "/empty/\(name)/x.png", contents: Data())
        }
        let trained = try Probe.run(["train", "--data", "ds", "--model", "gap-cnn", "--resolution", "8", "--epochs", "1",
                                     "--batch", "4", "-o", "m.ckpt", "--threads", "1", "--quiet"], in: folder, limit: 120)
        #expect(trained.status == 0, "\(trained.stderr)")
        let eval = ["eval", "--model", "m.ckpt", "--resolutions", "8", "--out", "ev", "--threads", "1", "--quiet", "--data"]
        let failed = try Probe.run(eval + ["empty"], in: folder)
        #expect(failed.status == 1 && !failed.crashed)
        #expect(failed.stderr.contains("Class folder 'a' in empty holds no readable PNG or JPEG image; add images or remove the folder"),
                "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/ev"))
        let passed = try Probe.run(eval + ["ds", "--split", "all"], in: folder)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(Probe.nonFiniteNumbers(under: folder + "/ev") == [])
    }

    /// Negative and non-finite numbers given to options are refused by the option's own rule, not
    /// read as a missing value (`--threads -1` used to say "Missing value for '--threads'").
    @Test(arguments: [
        (["train", "--epochs", "-3"], "--resolution, --epochs, --batch and --lr must be positive."),
        (["train", "--lr", "nan"], "--resolution, --epochs, --batch and --lr must be positive."),
        (["run", "e.yaml", "--threads", "-2"], "--threads must be from 1 to 1024, not -2 "),
        (["eval", "--model", "m.ckpt", "--data", "ds", "--threads", "-1"], "--threads must be from 1 to 1024, not -1 "),
        (["inspect", "ds", "--threads", "-1"], "--threads must be from 1 to 1024, not -1 "),
        (["remedy", "r", "--threads", "-1"], "--threads must be from 1 to 1024, not -1 "),
        (["explain", "small-cnn", "--classes", "-2"], "--classes must be at least 2."),
        (["explain", "small-cnn", "--train-resolution", "-8"], "--train-resolution must be 1 to 8192 px."),
        (["run", "e.yaml", "--memory-gib", "nan"], "--memory-gib must be a positive number of GiB, at most 1048576, not nan."),
    ])
    func negativeNumbersAreRefusedByTheOptionsRule(arguments: [String], expected: String) throws {
        let folder = try ReslabBinary.temporaryFolder("probe-negative")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try Probe.run(arguments, in: folder)
        #expect(outcome.status == 64 && !outcome.crashed)
        #expect(outcome.stderr.contains(expected), "\(outcome.stderr)")
        #expect(!outcome.stderr.contains("Missing value"))
    }

    static let tooLarge = " is too large: reslab makes images of at most 89478485 pixels (the decoders' limit); ask for a smaller size, or raise the limit with --max-pixels N (or RESLAB_MAX_PIXELS=N)."

    /// A class folder whose name holds a newline and a comma runs and reports (the CSV reader
    /// parses quoted fields); then stray and damaged files in the run folder: a stray copy of a
    /// cell file adds no rows, a damaged predictions file or data.json is refused by name.
    @Test func runFolderFilesAreReadAsStrictlyAsTheyAreWritten() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-readers")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Probe.writeDataset(folder + "/ds", perClass: 5)
        try FileManager.default.moveItem(atPath: folder + "/ds/b", toPath: folder + "/ds/b\nc,d")
        try ("dataset: {folder: ds}\nmodels:\n  - {name: g, layers: [conv 3x3 4, relu, gap, dense classes]}\n"
             + "training: {epochs: 1, batch: 4, resolutions: [8]}\nevaluation: {resolutions: [8]}\n")
            .write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let run = try Probe.run(["run", "e.yaml", "--out", "r", "--threads", "1", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let results = try String(contentsOfFile: folder + "/r/results.csv", encoding: .utf8)
        #expect(Probe.nonFiniteNumbers(under: folder + "/r") == [])

        let cells = folder + "/r/cells/"
        for copy in ["cell-0000 copy.json", "cell-0.json"] {
            try FileManager.default.copyItem(atPath: cells + "cell-0000.json", toPath: cells + copy)
        }
        let report = try Probe.run(["report", "r"], in: folder)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try String(contentsOfFile: folder + "/r/results.csv", encoding: .utf8) == results)

        let predictions = folder + "/r/predictions/cell-0000/r8-bilinear.csv"
        let whole = try String(contentsOfFile: predictions, encoding: .utf8)
        try String(whole.prefix(whole.count / 2)).write(toFile: predictions, atomically: true, encoding: .utf8)
        let cut = try Probe.run(["report", "r"], in: folder)
        #expect(cut.status == 1 && !cut.crashed)
        #expect(cut.stderr.contains("r/predictions/cell-0000/r8-bilinear.csv is damaged: "), "\(cut.stderr)")
        try whole.write(toFile: predictions, atomically: true, encoding: .utf8)

        try "{\"summary\": 3}".write(toFile: folder + "/r/data.json", atomically: true, encoding: .utf8)
        let data = try Probe.run(["report", "r"], in: folder)
        #expect(data.status == 1 && !data.crashed)
        #expect(data.stderr.contains("r/data.json is damaged: it is not the run's data summary (a wrong value at summary)"), "\(data.stderr)")
    }

    /// SIGTERM (what Slurm and `timeout` send) stops a training run within a few seconds.
    @Test func sigtermStopsARunWithinSeconds() throws {
        let folder = try ReslabBinary.temporaryFolder("probe-term")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try (Self.tinyData.replacingOccurrences(of: "train_per_class: 8", with: "train_per_class: 400")
             + "training: {epochs: 1000, batch: 8}\n").write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let (process, out, err) = try ReslabBinary.start(["run", "e.yaml", "--out", "r", "--threads", "1"], in: folder)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: folder + "/r/data.json") && Date() < deadline && process.isRunning {
            usleep(50_000)
        }
        usleep(300_000)
        let sent = Date()
        process.terminate()
        let stillRunning = Probe.waitForExit(process, seconds: 8)
        if stillRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        let outcome = ReslabBinary.outcome(process, out, err)
        #expect(!stillRunning, "SIGTERM was not honoured within 8 s")
        #expect(Date().timeIntervalSince(sent) < 8)
        #expect(outcome.status == 130, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("Interrupted: finished cells and the current cell's training state are saved in r."))
    }
}
