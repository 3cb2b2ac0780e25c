import Foundation
import NN
import Testing
import TestSupport
@testable import Experiment

/// `reslab explain`: golden answers for zoo models and the published networks, the timing of a
/// 50-layer model at 20 sizes, and the sentence for a model it cannot find. Regenerate the golden
/// files after an intended change with `RESLAB_UPDATE_GOLDEN=1 swift test -c release --filter
/// ExplainTests` and review the diff.
struct ExplainTests {
    static func explain(_ model: String, _ sizes: [Int], format: ExplainFormat = .text) throws -> String {
        try renderExplanation(try explainModel(ExplainOptions(model: model, resolutions: sizes)), format: format)
    }

    @Test(arguments: [("gap-cnn", [8, 12, 16, 30, 32, 64], ExplainFormat.text, "gap-cnn.txt"),
                      ("flat-cnn", [16, 32, 48], .markdown, "flat-cnn.md"),
                      ("resnet-20-avgpool8", [16, 24, 32, 33, 64], .text, "resnet-20-avgpool8.txt"),
                      ("resnet-20", [31, 32], .json, "resnet-20.json"),
                      ("Fixtures/architectures/alexnet.yaml", [224, 227], .text, "alexnet.txt")])
    func golden(_ model: String, _ sizes: [Int], _ format: ExplainFormat, _ file: String) throws {
        let name = model.hasPrefix("Fixtures/") ? Fixtures.path(String(model.dropFirst("Fixtures/".count))) : model
        let answer = try Self.explain(name, sizes, format: format)
        let path = Fixtures.path("explain/" + file)
        if ProcessInfo.processInfo.environment["RESLAB_UPDATE_GOLDEN"] == "1" {
            try answer.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(answer == (try String(contentsOfFile: path, encoding: .utf8)))
    }

    /// Facts the golden files hold, checked by meaning: the fixed pool's failures both ways, and
    /// 32 px as the only asked size without rounding loss for a stride-8 GAP model.
    @Test func answersSayWhereAndWhy() throws {
        let fixed = try explainModel(ExplainOptions(model: "resnet-20-avgpool8", resolutions: [24, 32, 64]))[0]
        #expect(fixed.plans.map { $0.failure?.name } == ["22", nil, "classifier"])
        #expect(fixed.failureLines[1].contains("the fixed avgpool 8 averages the whole map only at 32×32"))
        let gap = try explainModel(ExplainOptions(model: "gap-cnn", resolutions: [30, 32, 33]))[0]
        #expect(gap.sizesWithoutRoundingLoss == [32])
        #expect(gap.roundingLines.contains("30 px  #6 maxpool 2: floor 15→7, drops 1 row+1 col (used); ceil 15→8, pads 1 row+1 col"))
    }

    /// The `*` marks and the "No rounding loss" line are one rule (NN's `usedRuleLoses`): a 1×1
    /// stride-2 shortcut at an even size leaves the last row unread under either rule, so it is
    /// no rounding loss, and ResNet-20 loses nothing to rounding at these sizes (they said
    /// both "no loss" and `*` on every shortcut).
    @Test func theMarksAndTheSummaryAgree() throws {
        let resnet = try explainModel(ExplainOptions(model: "resnet-20", resolutions: [20, 24, 32, 40]))[0]
        #expect(resnet.sizesWithoutRoundingLoss == [20, 24, 32, 40])
        #expect(!resnet.rows.joined().joined().contains("*"))
        let gap = try explainModel(ExplainOptions(model: "gap-cnn", resolutions: [30, 32]))[0]
        let marked = gap.rows.dropFirst().filter { $0[4].hasSuffix("*") }.map { $0[0] }
        #expect(marked == ["#6 maxpool 2"])
        #expect(gap.sizesWithoutRoundingLoss == [32])
    }

    /// ResNet-50 (about 170 nodes) at 20 sizes: the brief asks for under a second; the guard is
    /// generous for a loaded 2-core machine, and the measured time is printed.
    @Test func answersQuicklyForAFiftyLayerModel() throws {
        let sizes = Array(stride(from: 32, through: 640, by: 32))
        let start = Date()
        let answer = try Self.explain(Fixtures.path("architectures/resnet50.yaml"), sizes)
        let seconds = Date().timeIntervalSince(start)
        print("explain resnet50 at \(sizes.count) sizes: \(String(format: "%.3f", seconds)) s")
        #expect(answer.contains("No rounding loss at 32, 64, 96"))
        #expect(seconds < 5)
    }

    /// A checkpoint's input channels come from its weights: explain places it with them, and a
    /// --channels that differs is refused with a sentence.
    @Test func aCheckpointKeepsItsChannels() throws {
        let path = NSTemporaryDirectory() + "reslab-explain-\(UUID().uuidString.prefix(8)).ckpt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let network = try Network(spec: ModelSpec(parsing: "conv 3x3 4, relu, gap"), inputChannels: 1, classes: 2,
                                  trainingHeight: 16, trainingWidth: 16, seed: 1)
        try network.save(to: path, metadata: CheckpointMetadata(classNames: ["a", "b"], mean: [0.5], std: [0.25]))
        let explained = try explainModel(ExplainOptions(model: path, resolutions: [16]))[0]
        #expect(explained.trained.input.channels == 1)
        #expect(explained.plans[0].nodes[0].parameters == 3 * 3 * 1 * 4 + 4)
        var options = ExplainOptions(model: path, resolutions: [16])
        options.channels = 3
        #expect(throws: ExperimentError.model(name: path, reason:
            "its weights take 1-channel images, not 3; leave out --channels (a checkpoint's input is fixed by its first layer's weights).")) {
            try explainModel(options)
        }
    }

    @Test func refusesWhatItCannotFind() {
        #expect(throws: ExperimentError.model(name: "resnet-21", reason:
            "it is no zoo model (flat-cnn, gap-cnn, blurpool-cnn, small-cnn, imagenette-cnn, resnet-20, resnet-20-avgpool8, mobilenetv2-cifar), no file, and no layer list such as \"conv 3x3 16, relu, maxpool 2, gap\".")) {
            try explainModel(ExplainOptions(model: "resnet-21", resolutions: [32]))
        }
        #expect(throws: ExperimentError.model(name: "conv 3x3, gap", reason:
            "The layer \"conv 3x3\" could not be read: expected the number of filters (a whole number).")) {
            try explainModel(ExplainOptions(model: "conv 3x3, gap", resolutions: [32]))
        }
    }
}
