import Foundation
import Testing
import TestSupport

/// `reslab eval --model X.onnx` and `- onnx:` experiment entries, through the binary: the same
/// run folder, results.csv and report as a checkpoint's, and every bad flag a pinned sentence.
@Suite(.serialized)
struct ONNXEvalEndToEndTests {
    /// A folder with the three-class fixture as `shapes/`, the 10-output ResNet-style fixture
    /// (dynamic height and width) as `resnet.onnx`, the static 32 px VGG-style one as `vgg.onnx`,
    /// and `classes.txt` naming the ResNet's outputs with the three shapes among them.
    func workspace() throws -> String {
        let folder = try ReslabBinary.temporaryFolder("e2e-onnx")
        try FileManager.default.copyItem(atPath: Fixtures.path("tiny-folder"), toPath: folder + "/shapes")
        try FileManager.default.copyItem(atPath: Fixtures.path("onnx/resnet/model.onnx"), toPath: folder + "/resnet.onnx")
        try FileManager.default.copyItem(atPath: Fixtures.path("onnx/vgg/model.onnx"), toPath: folder + "/vgg.onnx")
        try ["c0", "square", "c2", "c3", "circle", "c5", "c6", "triangle", "c8", "c9"].joined(separator: "\n")
            .write(toFile: folder + "/classes.txt", atomically: true, encoding: .utf8)
        return folder
    }

    func eval(_ model: String, _ extra: [String], in folder: String) throws -> ReslabBinary.Outcome {
        try ReslabBinary.run(["eval", "--model", model, "--data", "shapes", "--methods", "bilinear", "--threads", "1", "--quiet"] + extra,
                             in: folder)
    }

    @Test func evalWritesTheRunFolderResultsAndReport() throws {
        let folder = try workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try eval("resnet.onnx", ["--classes", "classes.txt", "--train-size", "32", "--resolutions", "24,32,45",
                                              "--out", "run"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("Tested all 49 images of shapes."), "\(outcome.stdout)")
        #expect(outcome.stderr.contains("warning: reslab cannot tell which of these images trained the imported model"), "\(outcome.stderr)")
        let results = try String(contentsOfFile: folder + "/run/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(results.count == 4, "\(results)")
        #expect(results.dropFirst().allSatisfy { $0.hasPrefix("0,resnet,32,") }, "\(results)")
        let config = try String(contentsOfFile: folder + "/run/config.resolved.yaml", encoding: .utf8)
        #expect(config.contains("onnx: ") && config.contains("train_size: 32") && config.contains("classes: "), "\(config)")
        let report = try String(contentsOfFile: folder + "/run/report.html", encoding: .utf8)
        #expect(report.contains("ONNX model ") && report.contains("Nothing in this imported graph is sized by its training resolution"))
        // Predictions name the folder's classes, scored by the outputs the classes file gives them.
        let predictions = try String(contentsOfFile: folder + "/run/predictions/cell-0000/r32-bilinear.csv", encoding: .utf8)
        let rows = predictions.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        // 49 images, one of which does not decode (the fixture's damaged file).
        #expect(rows.count == 48 && rows.allSatisfy { ["circle", "square", "triangle"].contains($0[2]) })
    }

    @Test func aStaticModelStatesItsPinsInTheReport() throws {
        let folder = try workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try eval("vgg.onnx", ["--classes", "classes.txt", "--resolutions", "32,40", "--out", "run"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try String(contentsOfFile: folder + "/run/report.html", encoding: .utf8)
        #expect(report.contains("What ties this imported model to its training size:"))
        #expect(report.contains("so it takes no other input size"), "the Flatten → Gemm pin")
        let results = try String(contentsOfFile: folder + "/run/results.csv", encoding: .utf8)
        #expect(results.contains("0,vgg,32,40,bilinear"), "\(results)")
    }

    @Test func badFlagsAndFilesAreSentences() throws {
        let folder = try workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([0x08, 0x07, 0x12, 0xFF]).write(to: URL(fileURLWithPath: folder + "/broken.onnx"))
        let cases: [([String], String, String)] = [
            (["--train-size", "32"], "resnet.onnx",
             "Model \(folder)/resnet.onnx: it has 10 outputs but the data has 3 classes (circle, square, triangle); give a classes file naming the model's 10 outputs in order, one per line (--classes FILE, or classes: FILE), with the data's class folders named alike."),
            (["--classes", "classes.txt"], "resnet.onnx",
             "Model \(folder)/resnet.onnx: its input \"input\" takes any height and width, so reslab cannot tell the size it was trained at; give it with --train-size N (e.g. 224)."),
            (["--classes", "classes.txt", "--train-size", "64"], "vgg.onnx",
             "Model \(folder)/vgg.onnx: its input is fixed at 32×32 px but --train-size is 64; leave --train-size out or give 32."),
            (["--mean", "0.5,0.5"], "vgg.onnx",
             "--mean takes 3 finite numbers, one per channel in the model's channel order (e.g. 0.485,0.456,0.406); found 2."),
            (["--std", "0.2,zero,0.2"], "vgg.onnx",
             "--std takes numbers separated by commas, e.g. 0.229,0.224,0.225; found `0.2,zero,0.2`."),
            (["--std", "0.2,-1,0.2"], "vgg.onnx", "--std must be positive in every channel (each divides the pixels); found -1.0."),
            (["--train-size", "0"], "vgg.onnx", "--train-size must be 1 to 4096 px, not 0."),
            (["--channel-order", "grb"], "vgg.onnx", "The value 'grb' is invalid for '--channel-order <channel-order>'"),
            (["--mean", "0,0,0"], "m.ckpt",
             "--mean prepares the input of an ONNX model (.onnx); the checkpoint m.ckpt records its own normalisation, size and classes, so leave it out."),
            ([], "absent.onnx", "Model absent.onnx: there is no such file; give the path of an .onnx model."),
            (["--classes", "nowhere.txt"], "vgg.onnx",
             "Model \(folder)/vgg.onnx: its classes file \(folder)/nowhere.txt cannot be read as UTF-8 text."),
            ([], "broken.onnx", "is not a readable ONNX model: the protobuf does not decode"),
        ]
        for (flags, model, sentence) in cases {
            let outcome = try eval(model, flags + ["--resolutions", "32"], in: folder)
            #expect(outcome.status != 0, "\(flags)")
            #expect(outcome.stderr.contains(sentence), "\(flags): \(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/runs"), "no run folder is left by a refused evaluation")
    }

    @Test func aMixedExperimentTrainsTheZooModelAndTestsTheImportedOne() throws {
        let folder = try workspace()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            dataset: {folder: shapes}
            models:
              - zoo: gap-cnn
              - onnx: resnet.onnx
                name: imported
                train_size: 32
                classes: classes.txt
            training: {resolutions: [16], epochs: 1, batch: 8}
            evaluation: {resolutions: [16, 32], methods: [bilinear]}
            """.write(toFile: folder + "/mixed.yaml", atomically: true, encoding: .utf8)
        let outcome = try ReslabBinary.run(["run", "mixed.yaml", "--out", "run", "--threads", "1", "--quiet"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let results = try String(contentsOfFile: folder + "/run/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(results.filter { $0.hasPrefix("0,gap-cnn,16,") }.count == 2, "\(results)")
        #expect(results.filter { $0.hasPrefix("1,imported,32,") }.count == 2, "\(results)")
        let report = try String(contentsOfFile: folder + "/run/report.html", encoding: .utf8)
        #expect(report.contains("ONNX model resnet.onnx"))

        try "dataset: {folder: shapes}\nmodels:\n  - onnx: resnet.onnx\n    train_size: 32\n".write(toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try ReslabBinary.run(["run", "bad.yaml", "--out", "bad", "--threads", "1", "--quiet"], in: folder)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("Model resnet.onnx: it has 10 outputs but the data has 3 classes (circle, square, triangle)"), "\(bad.stderr)")
    }
}
