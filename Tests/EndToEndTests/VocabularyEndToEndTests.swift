import Foundation
import Testing
import TestSupport

/// One vocabulary across commands: `-o/--out` for every output (`--output` kept as a hidden
/// alias), `--crop-pct` for the crop fraction, `--no-antialias` meaning "without antialiasing"
/// everywhere, option values checked as enums.
struct VocabularyEndToEndTests {
    @Test func outputAndCropOptionsShareTheirNames() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-vocab")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (flag, file) in [("-o", "a.png"), ("--out", "b.png"), ("--output", "c.png")] {
            let outcome = try ReslabBinary.run(["resize", "--zone-plate", "64", "--size", "16", "--geometry", "center-crop",
                                                "--crop-pct", "0.5", flag, file], in: folder)
            #expect(outcome.status == 0, "\(flag): \(outcome.stderr)")
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(flag)")
        }
        for command in ["train", "resize", "eval"] {
            let help = try ReslabBinary.run(["help", command], in: folder).stdout
            #expect(help.contains("-o, --out") && !help.contains("--output"), "reslab help \(command): \(help)")
        }
        #expect(!(try ReslabBinary.run(["help", "resize"], in: folder).stdout.contains("--crop-fraction")))
    }

    @Test func enumOptionsAndConflictsAreNamed() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-vocab")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let method = try ReslabBinary.run(["resize", "--zone-plate", "64", "--size", "16", "--method", "bicubik", "-o", "x.png"], in: folder)
        #expect(method.status != 0)
        #expect(method.stderr.contains("The value 'bicubik' is invalid for '--method <method>'") && method.stderr.contains("- lanczos"), "\(method.stderr)")
        let geometry = try ReslabBinary.run(["resize", "--zone-plate", "64", "--size", "16", "--geometry", "crop", "-o", "x.png"], in: folder)
        #expect(geometry.status != 0 && geometry.stderr.contains("'center-crop'"), "\(geometry.stderr)")
        let antialias = try ReslabBinary.run(["eval", "--model", "m.ckpt", "--data", ".", "--no-antialias", "--antialias", "both"], in: folder)
        #expect(antialias.status != 0)
        #expect(antialias.stderr.contains("--no-antialias is --antialias off; give one of them."), "\(antialias.stderr)")
        let split = try ReslabBinary.run(["eval", "--model", "m.ckpt", "--data", ".", "--split", "val"], in: folder)
        #expect(split.status != 0 && split.stderr.contains("Please provide one of 'test', 'train' or 'all'."), "\(split.stderr)")
    }
}
