import Foundation
import Testing
import TestSupport

/// `reslab eval` on the flat folder a model was trained on: it must not score the model on its
/// own training images unless asked, and must say so when it does.
@Suite(.serialized)
struct EvalEndToEndTests {
    /// A copy of the flat three-class fixture (`shapes/<class>/…`, no split folders) and a
    /// checkpoint trained on it for one epoch (its 80% training split, seed 0).
    func trainedOnShapes() throws -> String {
        let folder = try ReslabBinary.temporaryFolder("e2e-eval")
        try FileManager.default.copyItem(atPath: Fixtures.path("tiny-folder"), toPath: folder + "/shapes")
        let trained = try ReslabBinary.run(["train", "--data", "shapes", "--model", "gap-cnn", "--resolution", "16",
                                            "--epochs", "1", "--batch", "8", "--lr", "0.01", "-o", "m.ckpt",
                                            "--threads", "1", "--quiet"], in: folder)
        #expect(trained.status == 0, "\(trained.stderr)")
        return folder
    }

    func eval(_ extra: [String], out: String, in folder: String) throws -> ReslabBinary.Outcome {
        let outcome = try ReslabBinary.run(["eval", "--model", "m.ckpt", "--data", "shapes", "--resolutions", "16",
                                            "--methods", "bilinear", "--out", out, "--threads", "1", "--quiet"] + extra,
                                           in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return outcome
    }

    /// The image names of a run's predictions file.
    func testedNames(_ run: String, in folder: String) throws -> [String] {
        let text = try String(contentsOfFile: folder + "/" + run + "/predictions/cell-0000/r16-bilinear.csv", encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
    }

    @Test func defaultTestsOnlyTheHeldOutImagesAndOverlapIsCounted() throws {
        let folder = try trainedOnShapes()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let held = try eval([], out: "held", in: folder)
        #expect(held.stdout.contains("images held out from training (test_fraction 0.2, split_seed 0, as the checkpoint records; --split all or train for others)."), "\(held.stdout)")
        #expect(!held.stderr.contains("warning:"), "\(held.stderr)")
        let train = try eval(["--split", "train"], out: "train", in: folder)
        let all = try eval(["--split", "all"], out: "all", in: folder)
        let (heldNames, trainNames, allNames) = try (testedNames("held", in: folder), testedNames("train", in: folder),
                                                     testedNames("all", in: folder))
        // The held-out and training images partition the folder's decodable images.
        #expect(!heldNames.isEmpty && !trainNames.isEmpty)
        #expect(Set(heldNames).isDisjoint(with: trainNames))
        #expect(Set(heldNames).union(trainNames) == Set(allNames) && allNames.count == Set(allNames).count)
        #expect(all.stdout.contains("Tested all \(allNames.count + 1) images of shapes."), "one file fails to decode: \(all.stdout)")
        #expect(all.stderr.contains("warning: \(trainNames.count) of the \(allNames.count) evaluated images were used to train this model; their accuracy overstates what it does on new images (--split test tests only the held-out ones)."), "\(all.stderr)")
        #expect(train.stderr.contains("warning: \(trainNames.count) of the \(trainNames.count) evaluated images were used to train this model"), "\(train.stderr)")
        // Predictions carry the class names beside their indices.
        let predictions = try String(contentsOfFile: folder + "/held/predictions/cell-0000/r16-bilinear.csv", encoding: .utf8)
        let rows = predictions.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows[0] == ["image", "true_class", "predicted_class", "label", "predicted", "correct", "p_label"])
        let classes = ["circle", "square", "triangle"]
        for row in rows.dropFirst() {
            #expect(row[1] == classes[Int(row[3])!] && row[2] == classes[Int(row[4])!] && row[0].hasPrefix(row[1] + "/"), "\(row)")
        }
        // The report says which images it tested.
        let report = try String(contentsOfFile: folder + "/held/report.html", encoding: .utf8)
        #expect(report.contains("images held out from training"))
    }

    @Test func aFolderChangedSinceTrainingIsFlagged() throws {
        let folder = try trainedOnShapes()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: folder + "/shapes/circle/circle_00.png", toPath: folder + "/shapes/circle/circle_99.png")
        // 49 images were scanned at training (notes.png is not an image), 50 now.
        let outcome = try eval([], out: "changed", in: folder)
        #expect(outcome.stdout.contains("Tested all 50 images of shapes."), "\(outcome.stdout)")
        #expect(outcome.stderr.contains("warning: shapes is the folder this model was trained on, but its training files changed since ("), "\(outcome.stderr)")
    }

    /// The eval run records the checkpoint's model name, training settings and seed, not defaults.
    @Test func evalRunCarriesTheCheckpointsTrainingSettings() throws {
        let folder = try trainedOnShapes()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try eval([], out: "e", in: folder)
        let config = try String(contentsOfFile: folder + "/e/config.resolved.yaml", encoding: .utf8)
        #expect(config.contains("name: eval-gap-cnn"), "\(config)")
        #expect(config.contains("- name: gap-cnn"))
        #expect(config.contains("epochs: 1") && config.contains("batch: 8") && config.contains("lr: 1e-2"), "\(config)")
    }
}
