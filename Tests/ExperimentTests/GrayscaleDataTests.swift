import Foundation
import ImageIO
import NN
import Testing
@testable import Experiment

/// The data decides the channels of every network input (`dataset.color`): a grayscale folder
/// trains and evaluates 1-channel models end to end, and a 1-channel checkpoint refuses colour
/// images with a sentence instead of guessing a colour-to-gray mapping.
@Suite(.serialized)
struct GrayscaleDataTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "reslab-gray-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Classes `a` (dark) and `b` (light), six 8×8 PNGs each with `channels` channels.
    func writeFolder(_ name: String, channels: Int) throws -> String {
        let root = folder + "/" + name
        for (label, base) in [("a", 30), ("b", 200)] {
            try FileManager.default.createDirectory(atPath: root + "/" + label, withIntermediateDirectories: true)
            for i in 0..<6 {
                let pixels = (0..<(8 * 8 * channels)).map { UInt8(base + ($0 * 7 + i * 3) % 40) }
                let png = try encodePNG(Image(width: 8, height: 8, channels: channels, pixels: pixels))
                try Data(png).write(to: URL(fileURLWithPath: "\(root)/\(label)/\(i).png"))
            }
        }
        return root
    }

    @Test func aGrayscaleFolderTrainsAndEvaluatesOneChannelModels() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let gray = try writeFolder("gray", channels: 1)
        let yaml = """
            name: gray
            dataset: {folder: \(gray), color: grayscale, test_fraction: 0.34}
            models:
              - name: small
                layers: [conv 3x3 4, bn, relu, gap, dense classes]
            training: {epochs: 2, batch: 4, resolutions: [8], augmentation: {flip: true, random_crop: 1}}
            evaluation: {resolutions: [6, 8], methods: [bilinear]}
            seeds: [0]
            """
        try yaml.write(toFile: folder + "/gray.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions(configPath: folder + "/gray.yaml", threads: 1)
        options.out = folder + "/run"
        let run = try runExperiment(options)
        let rows = try String(contentsOfFile: run.resultsFile, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains(",bilinear,true,") && !$0.contains("cannot run") }, "\(rows)")

        let checkpoint = folder + "/run/checkpoints/\(Cell.stem(0)).ckpt"
        let model = try Model.load(from: checkpoint)
        #expect(model.network.inputChannels == 1 && model.info.mean.count == 1 && model.info.std.count == 1)

        var eval = EvalOptions(checkpoint: checkpoint, data: gray, threads: 1)
        eval.out = folder + "/eval"
        eval.split = .all
        eval.evaluation.resolutions = .list([8, 12])
        let evaluated = try evaluateCheckpoint(eval)
        #expect(try String(contentsOfFile: evaluated.run.resultsFile, encoding: .utf8).split(separator: "\n").count == 3)

        let colour = try writeFolder("colour", channels: 3)
        eval.data = colour
        eval.out = folder + "/eval-colour"
        #expect(throws: ExperimentError.dataset("\(checkpoint) takes 1-channel (grayscale) images, but \(colour)/a/0.png is in colour (RGB); convert the images to grayscale first, or evaluate a model trained on colour images (dataset.color: rgb).")) {
            try evaluateCheckpoint(eval)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/eval-colour"), "a refused evaluation leaves no run folder")
    }

    /// RGB data (the default) and grayscale data of the same images: 3 and 1 input channels;
    /// the luma of an RGB pixel is Pillow's `convert("L")` (red 76, green 150, blue 29).
    @Test func theColorModeSetsTheInputChannels() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let red = Image(width: 3, height: 1, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255])
        #expect(red.grayscale().pixels == [76, 150, 29])
        #expect(red.grayscale().rgb().pixels == [76, 76, 76, 150, 150, 150, 29, 29, 29])
        #expect(ColorMode.rgb.channels == 3 && ColorMode.grayscale.channels == 1)
        let yaml = """
            dataset: {generated: {size: 16}, color: greyscale}
            models: [{zoo: gap-cnn}]
            """
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "c.yaml") }
        #expect(error?.description == "c.yaml has 1 problem:\n  c.yaml:1: dataset.color: `greyscale` is not one of rgb, grayscale.")
        let config = try parseExperiment(yaml: yaml.replacingOccurrences(of: "greyscale", with: "grayscale"), file: "c.yaml")
        #expect(config.dataset.color == .grayscale)
        #expect(try parseExperiment(yaml: "dataset: {generated: {}}\nmodels: [{zoo: gap-cnn}]\n", file: "d.yaml").dataset.color == .rgb,
                "RGB unless the file says otherwise, so earlier experiments keep their inputs")
    }
}
