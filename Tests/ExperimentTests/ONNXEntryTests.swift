import Foundation
import Testing
import TestSupport
@testable import Experiment
import Yams

/// `- onnx: FILE` under `models:`: decoded with its preprocessing, refused with sentences that
/// name the line; and the input/output adapter an imported model runs behind.
struct ONNXEntryTests {
    let resnet = Fixtures.path("onnx/resnet/model.onnx")
    let vgg = Fixtures.path("onnx/vgg/model.onnx")

    func experiment(_ entry: String) -> String {
        """
        dataset:
          generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4}
        models:
          - zoo: gap-cnn
        \(entry)
        training: {resolutions: [16, 24]}
        seeds: [0, 1]
        """
    }

    @Test func anEntryDecodesWithItsPreprocessingAndOneCell() throws {
        let config = try parseExperiment(yaml: experiment("""
              - onnx: \(resnet)
                name: imported
                mean: [103.53, 116.28, 123.675]
                std: [57.375, 57.12, 58.395]
                pixel_range: 0-255
                channel_order: bgr
                train_size: 32
            """), file: "x.yaml")
        let onnx = try #require(config.models[1].onnx)
        #expect(config.models[1].name == "imported")
        #expect(onnx.preprocessing.pixelRange == .byte && onnx.preprocessing.channelOrder == .bgr)
        #expect(onnx.preprocessing.trainSize == 32)
        // gap-cnn: 2 sizes × 2 seeds; the imported model: one cell at its own size.
        #expect(config.cells.map { "\($0.model.name)@\($0.trainResolution)/\($0.seed)" }
                == ["gap-cnn@16/0", "gap-cnn@16/1", "gap-cnn@24/0", "gap-cnn@24/1", "imported@32/0"])
        // The resolved configuration reads back the same (run folders store it).
        let yaml = try YAMLEncoderText(config)
        #expect(try parseExperiment(yaml: yaml, file: "resolved.yaml") == config)
    }

    /// An imported model is only tested: the memory estimate gives it its test passes, never
    /// training (batch 5000 would need gigabytes), and grayscale data are refused at its line
    /// (the model takes RGB; the input adapter would read three channels of one).
    @Test func anImportedModelIsOnlyTestedAndTakesRGB() throws {
        let yaml = """
            dataset:
              generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4}
            models:
              - onnx: \(vgg)
            training: {batch: 5000, resolutions: [32]}
            evaluation: {resolutions: [32], batch: 1}
            """
        let need = try MemoryEstimate.largest(try parseExperiment(yaml: yaml, file: "x.yaml"))
        #expect(need.what == "Testing model at 32 px with batch 1", "\(need.what)")
        let gray = yaml.replacingOccurrences(of: "test_per_class: 4}", with: "test_per_class: 4}\n  color: grayscale")
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: gray, file: "x.yaml") }
        #expect(error?.description == "x.yaml has 1 problem:\n  x.yaml:5: models[0]: an imported (`onnx:`) model takes RGB images, but dataset.color is grayscale; test it on RGB data (leave `color` out), or export a model that takes one channel.")
    }

    @Test func aStaticModelGivesItsTrainingSize() throws {
        let config = try parseExperiment(yaml: experiment("  - onnx: \(vgg)"), file: "x.yaml")
        #expect(config.models[1].onnx?.preprocessing.trainSize == 32)
        #expect(config.models[1].name == "model")
    }

    @Test func problemsNameTheirLines() {
        let yaml = experiment("""
              - onnx: \(resnet)
                mean: [0.5, 0.5]
                std: [0.2, 0, 0.2]
                channel_order: grb
              - zoo: small-cnn
                layout: nhwc
              - onnx: \(vgg)
                train_size: 64
              - onnx: missing.onnx
            """)
        let error = #expect(throws: ExperimentError.self) { try parseExperiment(yaml: yaml, file: "x.yaml") }
        #expect(error?.description == """
            x.yaml has 8 problems:
              x.yaml:4: models: model names must be distinct; rename one of gap-cnn, model, small-cnn, model, missing.
              x.yaml:5: models[1].onnx: its input "input" takes any height and width, so reslab cannot tell the size it was trained at; give it with train_size N (e.g. 224).
              x.yaml:6: models[1].mean: mean takes 3 finite numbers, one per channel in the model's channel order (e.g. 0.485,0.456,0.406); found 2.
              x.yaml:7: models[1].std: std must be positive in every channel (each divides the pixels); found 0.0.
              x.yaml:8: models[1].channel_order: `grb` is not one of rgb, bgr.
              x.yaml:10: models[2].layout: `layout` says how an `onnx:` model's input is prepared; remove it, or give the model as `onnx: FILE`.
              x.yaml:11: models[3].onnx: its input is fixed at 32×32 px but train_size is 64; leave train_size out or give 32.
              x.yaml:13: models[4].onnx: no file at missing.onnx; give the path of an .onnx model (relative to the working directory).
            """)
    }

    /// BGR, 0–255 and Caffe's means: the adapter turns the pipeline's RGB tensor (normalised
    /// with the data's statistics) into exactly x_c = (255·p_σ(c) − mean_c) / std_c.
    @Test func theInputAdapterComputesTheModelsNormalisation() {
        var preprocessing = InputPreprocessing()
        preprocessing.mean = [103.53, 116.28, 123.675]
        preprocessing.std = [57.375, 57.12, 58.395]
        preprocessing.pixelRange = .byte
        preprocessing.channelOrder = .bgr
        let dataMean: [Float] = [0.5, 0.4, 0.3], dataStd: [Float] = [0.25, 0.2, 0.1]
        let io = ImportedIO(preprocessing: preprocessing, dataMean: dataMean, dataStd: dataStd, outputs: nil)
        let pixels: [Float] = [0.9, 0.1, 0.6, 0.0, 1.0, 0.25]   // two RGB pixels in [0, 1]
        let fed = pixels.enumerated().map { i, p in (p - dataMean[i % 3]) / dataStd[i % 3] }
        let got = io.input(fed)
        for pixel in 0..<2 {
            let (r, g, b) = (Double(pixels[pixel * 3]), Double(pixels[pixel * 3 + 1]), Double(pixels[pixel * 3 + 2]))
            let want = [(255 * b - 103.53) / 57.375, (255 * g - 116.28) / 57.12, (255 * r - 123.675) / 58.395]
            for c in 0..<3 { #expect(abs(Double(got[pixel * 3 + c]) - want[c]) < 1e-4, "pixel \(pixel) channel \(c)") }
        }
        // Data normalised for the model itself: the tensor passes untouched.
        let (mean, std) = InputPreprocessing().rgbNormalization
        #expect(ImportedIO(preprocessing: InputPreprocessing(), dataMean: mean, dataStd: std, outputs: nil).isIdentity)
    }

    @Test func classesFilePicksTheFoldersOutputs() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("classes-\(UUID()).txt").path
        try "zero\n one \n\ntwo\nthree\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let source = ONNXSource(path: "m.onnx", classesFile: file)
        #expect(try source.outputSelection(outputs: 4, classNames: ["one", "three"]) == [1, 3])
        #expect(try source.outputSelection(outputs: 4, classNames: ["zero", "one", "two", "three"]) == nil)
        let io = ImportedIO(preprocessing: InputPreprocessing(), dataMean: [0, 0, 0], dataStd: [1, 1, 1], outputs: [1, 3])
        #expect(io.classScores([0, 1, 2, 3, 10, 11, 12, 13], count: 2) == [1, 3, 11, 13])
        let missing = #expect(throws: ExperimentError.self) { try source.outputSelection(outputs: 4, classNames: ["one", "five"]) }
        #expect(missing?.description == "Model m.onnx: the data's classes five are not in its classes file \(file); name each class folder as the model's output for it.")
        let count = #expect(throws: ExperimentError.self) { try source.outputSelection(outputs: 5, classNames: ["one"]) }
        #expect(count?.description == "Model m.onnx: it has 5 outputs but its classes file \(file) names 4; give one line per output, in output order.")
        let noFile = #expect(throws: ExperimentError.self) {
            try ONNXSource(path: "m.onnx").outputSelection(outputs: 10, classNames: ["a", "b", "c"])
        }
        #expect(noFile?.description == "Model m.onnx: it has 10 outputs but the data has 3 classes (a, b, c); give a classes file naming the model's 10 outputs in order, one per line (--classes FILE, or classes: FILE), with the data's class folders named alike.")
    }

    @Test func explainReadsAnONNXFileWithItsPins() throws {
        let options = ExplainOptions(model: Fixtures.path("onnx/adaptive/model.onnx"), resolutions: [40, 80])
        let explained = try explainModel(options)
        #expect(explained.count == 1 && explained[0].trained.input.height == 40)
        #expect(explained[0].pins.count >= 1)
        let text = try renderExplanation(explained, format: .text)
        #expect(text.contains("Tied to its training size: AveragePool"), "\(text)")
        // The 10×10 window pools the whole 10×10 map at 40 px, but leaves 2×2 at 80 px, which the Gemm cannot take.
        #expect(explained[0].plans[0].failure == nil && explained[0].plans[1].failure != nil)
        let dynamic = #expect(throws: ExperimentError.self) { try explainModel(ExplainOptions(model: resnet, resolutions: [32])) }
        #expect(dynamic?.description.hasSuffix("so reslab cannot tell the size it was trained at; give it with --train-resolution N (e.g. 224).") == true)
    }
}

/// The YAML text run folders store for `config`.
private func YAMLEncoderText(_ config: ExperimentConfig) throws -> String {
    try YAMLEncoder().encode(config)
}
