import Foundation
import Testing
import TestSupport

/// The knobs every refusal names exist (issue #19): the pixel and file-count limits change by
/// option or environment variable, and `--memory-gib` reaches `eval` as it reaches `run`.
@Suite(.serialized)
struct InputLimitProbeTests {
    /// A folder holding `ds/a` and `ds/b` with 4 images of 8×8 each: 10 entries, 64 px per image.
    func dataset(_ name: String) throws -> String {
        let folder = try ReslabBinary.temporaryFolder(name)
        try Probe.writeDataset(folder + "/ds")
        return folder
    }

    static let tooManyFiles = "The dataset holds more than 5 files and folders (the scan stopped in ds/a); point the run at a smaller folder, split the dataset, or raise the limit with --max-files N (or RESLAB_MAX_FILES=N)."

    @Test func theFileCountLimitChangesByOptionOrEnvironment() throws {
        let folder = try dataset("probe-files")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ways: [([String], [String: String])] = [(["--max-files", "5"], [:]), ([], ["RESLAB_MAX_FILES": "5"])]
        for (arguments, environment) in ways {
            let refused = try Probe.run(["inspect", "ds"] + arguments, in: folder, environment: environment)
            #expect(refused.status == 1 && !refused.crashed && !refused.timedOut)
            #expect(refused.stderr.contains(Self.tooManyFiles), "\(refused.stderr)")
        }
        // Exactly at the limit (10 entries) the scan passes; an option overrides the variable.
        let passed = try Probe.run(["inspect", "ds", "--max-files", "10"], in: folder, environment: ["RESLAB_MAX_FILES": "5"])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout.contains("ds: 2 classes, 8 images"), "\(passed.stdout)")
    }

    @Test func thePixelLimitChangesByOptionOrEnvironment() throws {
        let folder = try dataset("probe-pixels")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let refusal = "ds/a/0.png declares 8×8 = 64 pixels, more than the limit of 63 (which keeps a crafted header from taking gigabytes); shrink it first, e.g. `convert ds/a/0.png -resize 50% smaller.png`, or raise the limit with --max-pixels N (or RESLAB_MAX_PIXELS=N)."
        let ways: [([String], [String: String])] = [(["--max-pixels", "63"], [:]), ([], ["RESLAB_MAX_PIXELS": "63"])]
        for (arguments, environment) in ways {
            let outcome = try Probe.run(["inspect", "ds"] + arguments, in: folder, environment: environment)
            #expect(!outcome.crashed && !outcome.timedOut)
            #expect((outcome.stdout + outcome.stderr).contains(refusal), "\(outcome.stdout)\(outcome.stderr)")
        }
        let passed = try Probe.run(["inspect", "ds", "--max-pixels", "64"], in: folder)
        #expect(passed.status == 0 && passed.stdout.contains("No files skipped."), "\(passed.stdout)\(passed.stderr)")
    }

    /// `resize` makes and decodes images under the same limit, set by the same `--max-pixels`
    /// option (or variable) as the other commands, and its refusals name both.
    @Test func resizeTakesThePixelLimitLikeTheOtherCommands() throws {
        let folder = try dataset("probe-resize-pixels")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let zonePlate = ["resize", "--zone-plate", "64", "--size", "8", "-o", "x.png"]
        let tooLarge = "--zone-plate 64 is too large: reslab makes images of at most 100 pixels (the decoders' limit); ask for a smaller size, or raise the limit with --max-pixels N (or RESLAB_MAX_PIXELS=N)."
        let ways: [([String], [String: String])] = [(["--max-pixels", "100"], [:]), ([], ["RESLAB_MAX_PIXELS": "100"])]
        for (arguments, environment) in ways {
            let refused = try Probe.run(zonePlate + arguments, in: folder, environment: environment)
            #expect(refused.status != 0 && !refused.crashed && !refused.timedOut)
            #expect(refused.stderr.contains(tooLarge), "\(refused.stderr)")
        }
        // The 64² zone plate is exactly at the limit; the option overrides the variable.
        let passed = try Probe.run(zonePlate + ["--max-pixels", "4096"], in: folder, environment: ["RESLAB_MAX_PIXELS": "100"])
        #expect(passed.status == 0 && FileManager.default.fileExists(atPath: folder + "/x.png"), "\(passed.stderr)")
        // The option reaches the decoder too: an 8×8 input is refused by name at 63 pixels.
        let decoded = try Probe.run(["resize", "ds/a/0.png", "--size", "4", "-o", "y.png", "--max-pixels", "63"], in: folder)
        #expect(decoded.status != 0 && !decoded.crashed)
        #expect(decoded.stderr.contains("ds/a/0.png declares 8×8 = 64 pixels, more than the limit of 63 (which keeps a crafted header from taking gigabytes); shrink it first, e.g. `convert ds/a/0.png -resize 50% smaller.png`, or raise the limit with --max-pixels N (or RESLAB_MAX_PIXELS=N)."),
                "\(decoded.stderr)")
        // Bad values are refused with the other commands' sentences.
        let bad: [([String], [String: String], String)] = [
            (["--max-pixels", "0"], [:], "--max-pixels must be a count from 1 to 1099511627776, not 0."),
            ([], ["RESLAB_MAX_PIXELS": "lots"],
             "RESLAB_MAX_PIXELS=lots is not a count from 1 to 1099511627776; unset it for the default (89478485) or give a whole number."),
        ]
        for (arguments, environment, expected) in bad {
            let outcome = try Probe.run(zonePlate + arguments, in: folder, environment: environment)
            #expect(outcome.status == 64 && !outcome.crashed)
            #expect(outcome.stderr.contains(expected), "\(outcome.stderr)")
        }
    }

    @Test(arguments: [
        (["--max-files", "0"], [String: String](), "--max-files must be a count from 1 to 1099511627776, not 0."),
        (["--max-pixels", "-3"], [:], "--max-pixels must be a count from 1 to 1099511627776, not -3."),
        ([], ["RESLAB_MAX_PIXELS": "lots"],
         "RESLAB_MAX_PIXELS=lots is not a count from 1 to 1099511627776; unset it for the default (89478485) or give a whole number."),
    ])
    func badLimitValuesAreRefusedByName(arguments: [String], environment: [String: String], expected: String) throws {
        let folder = try dataset("probe-badlimit")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try Probe.run(["inspect", "ds"] + arguments, in: folder, environment: environment)
        #expect(outcome.status == 64 && !outcome.crashed)
        #expect(outcome.stderr.contains(expected), "\(outcome.stderr)")
    }

    /// `reslab eval --memory-gib`: testing at 4,000 px is refused before any folder is made, and
    /// the advice names eval's own option.
    @Test func evalRefusesATestThatNeedsMoreMemoryThanAllowed() throws {
        let folder = try dataset("probe-evalmem")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let trained = try Probe.run(["train", "--data", "ds", "--model", "gap-cnn", "--resolution", "8", "--epochs", "1",
                                     "--batch", "4", "-o", "m.ckpt", "--threads", "1", "--quiet"], in: folder, limit: 120)
        #expect(trained.status == 0, "\(trained.stderr)")
        let before = try FileManager.default.contentsOfDirectory(atPath: folder + "/runs")
        let outcome = try Probe.run(["eval", "--model", "m.ckpt", "--data", "ds", "--resolutions", "8,4000",
                                     "--memory-gib", "0.5", "--out", "e", "--quiet"], in: folder)
        #expect(outcome.status == 1 && !outcome.crashed)
        #expect(outcome.stderr.contains("Testing gap-cnn at 4000 px with batch "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("more than the 0.50 GiB allowed (--memory-gib); test at smaller --resolutions."))
        #expect(!FileManager.default.fileExists(atPath: folder + "/e"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/runs") == before)
        let invalid = try Probe.run(["eval", "--model", "m.ckpt", "--data", "ds", "--memory-gib", "-1"], in: folder)
        #expect(invalid.status == 64 && invalid.stderr.contains("--memory-gib must be a positive number of GiB, at most 1048576, not -1.0."),
                "\(invalid.stderr)")
    }
}
