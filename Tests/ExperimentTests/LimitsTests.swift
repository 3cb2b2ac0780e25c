import Foundation
import Testing
import TestSupport
@testable import Experiment

/// The one validation pass (issue #19): sizes, counts and floats checked at their line before
/// any folder is made, and the memory a run implies estimated from the architecture math.
struct LimitsTests {
    static let dataset = """
        dataset:
          generated: {size: 16, period: 4, train_per_class: 8, test_per_class: 4}

        """
    static let base = dataset + """
        models:
          - name: gap
            layers: [conv 3x3 8, relu, gap, dense classes]

        """

    func problems(_ yaml: String) -> [String] {
        do {
            _ = try parseExperiment(yaml: yaml, file: "e.yaml")
            return []
        } catch let ExperimentError.invalidConfig(_, problems) {
            return problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func everyOutOfRangeValueIsReportedAtItsLine() {
        let yaml = Self.base + """
            training:
              epochs: 1000000
              resolutions: [32, 5000]
              optimizer: {lr: .inf, weight_decay: .inf}
              schedule: {gamma: .inf, warmup_epochs: 1.0e9}
              augmentation: {random_resized_crop: [1.0e-300, 1]}
            evaluation:
              batch: 0
              resolutions: {from: 8, to: 4000, step: 1}
            """
        #expect(problems(yaml) == [
            "e.yaml:7: training.epochs: 1000000 is outside 1...100000 epochs.",
            "e.yaml:8: training.resolutions[1]: 5000 is outside 1...4096 pixels.",
            "e.yaml:9: training.optimizer.lr: must be a finite number, not inf.",
            "e.yaml:9: training.optimizer.weight_decay: must be a finite number, not inf.",
            "e.yaml:10: training.schedule.gamma: must be a finite number, not inf.",
            "e.yaml:10: training.schedule.warmup_epochs: must be at most 100000 epochs.",
            "e.yaml:11: training.augmentation.random_resized_crop: the smallest area share must be at least 0.01 (a crop of 1% of the image), not 1e-300.",
            "e.yaml:13: evaluation.batch: must be at least 1.",
            "e.yaml:14: evaluation.resolutions.step: the range holds more than 1000 sizes; use a larger step.",
        ])
    }

    /// The remedies' settings and the multi-resolution sizes are bounded like the rest (issue #19):
    /// each at its line, an infinite learning rate included.
    @Test func remedySettingsAndMultiResolutionSizesAreBounded() {
        let yaml = Self.base + """
            training:
              multi_resolution: {sizes: [16, 5000]}
            evaluation: {resolutions: [16]}
            remedies:
              at: [16]
              bn_recal: {images: 200000000, batch: 70000}
              fixres: {epochs: 1000000, lr: .inf, batch: 70000, images: 200000000}
              multires: {sizes: {from: 8, to: 9223372036854775807, step: 1}}
            """
        #expect(problems(yaml) == [
            "e.yaml:7: training.multi_resolution.sizes[1]: 5000 is outside 1...4096 pixels.",
            "e.yaml:11: remedies.bn_recal.images: 200000000 is outside 2...100000000 images.",
            "e.yaml:11: remedies.bn_recal.batch: 70000 is outside 2...65536 images per batch.",
            "e.yaml:12: remedies.fixres.epochs: 1000000 is outside 1...100000 epochs.",
            "e.yaml:12: remedies.fixres.lr: must be a finite number, not inf.",
            "e.yaml:12: remedies.fixres.batch: 70000 is outside 2...65536 images per batch.",
            "e.yaml:12: remedies.fixres.images: 200000000 is outside 0...100000000 images.",
            "e.yaml:13: remedies.multires.sizes.to: 9223372036854775807 is above the largest resolution, 4096 pixels.",
        ])
    }

    /// A remedy section beside a huge test range: the range is neither expanded to pair the
    /// remedies' sizes with it nor to list the multi-resolution sizes (both hung before).
    @Test func hugeRangesNextToRemediesAreRefusedAtOnce() {
        let start = Date()
        let found = problems(Self.base + """
            training: {multi_resolution: {sizes: {from: 1, to: 9223372036854775807, step: 1}}}
            evaluation: {resolutions: {from: 1, to: 9223372036854775807, step: 1}}
            remedies: {at: [16]}
            """)
        #expect(found == [
            "e.yaml:6: training.multi_resolution.sizes.to: 9223372036854775807 is above the largest resolution, 4096 pixels.",
            "e.yaml:7: evaluation.resolutions.to: 9223372036854775807 is above the largest resolution, 4096 pixels.",
        ])
        #expect(Date().timeIntervalSince(start) < 1)
    }

    /// The range is counted, not expanded: 2⁶³−1 is refused at once.
    @Test func aHugeRangeIsRefusedWithoutExpandingIt() {
        let start = Date()
        let found = problems(Self.base + "evaluation: {resolutions: {from: 1, to: 9223372036854775807, step: 1}}\n")
        #expect(found == ["e.yaml:6: evaluation.resolutions.to: 9223372036854775807 is above the largest resolution, 4096 pixels."])
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test(arguments: [
        ("../evil", "`../evil` is not a plain folder name; the run folder is runs/<name>-<time>, so use letters, digits, - and _ (no /, no leading dot)."),
        ("a/b", "`a/b` is not a plain folder name; the run folder is runs/<name>-<time>, so use letters, digits, - and _ (no /, no leading dot)."),
        ("..", "`..` is not a plain folder name; the run folder is runs/<name>-<time>, so use letters, digits, - and _ (no /, no leading dot)."),
        (".hidden", "`.hidden` is not a plain folder name; the run folder is runs/<name>-<time>, so use letters, digits, - and _ (no /, no leading dot)."),
        (String(repeating: "x", count: 201), "the experiment name has 201 characters; use at most 200."),
    ])
    func theNameMustBeOneFolderNameComponent(name: String, message: String) {
        #expect(problems("name: \"\(name)\"\n" + Self.base) == ["e.yaml:1: name: " + message])
        #expect(folderNameProblem("ok-name_1") == nil)
    }

    @Test func hugeLayersAreRefusedAtTheirLine() {
        let yaml = """
            dataset: {generated: {size: 16}}
            models:
              - name: big
                layers: [conv 3x3 1000000000, relu, conv 5000x3 8, maxpool 2000, dense 70000]
            """
        #expect(problems(yaml) == [
            "e.yaml:4: models[0].layers[0]: `conv 3x3 1000000000`: at most 65536 filters.",
            "e.yaml:4: models[0].layers[2]: `conv 5000x3 8`: kernel, stride and dilation must lie in 1...1024.",
            "e.yaml:4: models[0].layers[3]: `maxpool 2000`: window and stride must lie in 1...1024.",
            "e.yaml:4: models[0].layers[4]: `dense 70000`: at most 65536 units.",
        ])
    }

    /// Training memory = batch × the inputs of the layers with weights + 16 × parameters, from
    /// NN's model plan.
    @Test func theMemoryEstimateFollowsTheModelPlan() throws {
        let config = try parseExperiment(yaml: Self.base + "training: {batch: 10, resolutions: [16]}\nevaluation: {resolutions: [16], batch: 1}\n",
                                         file: "e.yaml")
        // conv 3x3 8 reads the 16²×3 image; dense 10 (placeholder classes) reads gap's 8 values.
        let activations = 4 * (16 * 16 * 3 + 8)
        let parameters = (3 * 3 * 3 * 8 + 8) + (8 * 10 + 10)
        let need = try MemoryEstimate.largest(config)
        #expect(need.bytes == 10 * activations + 16 * parameters)
        #expect(need.what == "Training gap at 16 px with batch 10")
        #expect(throws: ExperimentError.tooMuchMemory(what: need.what, need: need.bytes, limit: need.bytes - 1,
                                                       fix: "lower training.batch or the training resolution.")) {
            try MemoryEstimate.check(config, limit: need.bytes - 1)
        }
        #expect(throws: Never.self) { try MemoryEstimate.check(config, limit: need.bytes) }
    }

    /// Multi-resolution sizes and the remedies that train (FixRes with its own batch) are
    /// estimated like training: the same formula at their size and batch.
    @Test func theMemoryEstimateCoversMultiResolutionAndRemedyTraining() throws {
        let parameters = (3 * 3 * 3 * 8 + 8) + (8 * 10 + 10)
        func need(_ yaml: String) throws -> MemoryEstimate {
            try MemoryEstimate.largest(try parseExperiment(yaml: Self.base + yaml, file: "e.yaml"))
        }
        let multi = try need("training: {batch: 10, resolutions: [16], multi_resolution: {sizes: [16, 64]}}\nevaluation: {resolutions: [16], batch: 1}\n")
        #expect(multi.bytes == 10 * 4 * (64 * 64 * 3 + 8) + 16 * parameters)
        #expect(multi.what == "Training gap at 64 px with batch 10")
        let fixres = try need("""
            training: {batch: 10, resolutions: [16]}
            evaluation: {resolutions: [16, 48], batch: 1}
            remedies: {run: [fixres], at: [48], fixres: {batch: 500}}

            """)
        #expect(fixres.bytes == 500 * 4 * (48 * 48 * 3 + 8) + 16 * parameters)
        #expect(fixres.what == "Fine-tuning (fixres) gap at 48 px with batch 500")
        #expect(fixres.fix == "lower remedies.fixres.batch or the sizes in remedies.at.")

        // Each command estimates what it runs: `eval` tests only, `remedy` the remedies only.
        let config = try parseExperiment(yaml: Self.base + """
            training: {batch: 5000, resolutions: [16]}
            evaluation: {resolutions: [16, 32], batch: 1}
            remedies: {run: [bn-recal], at: [16], bn_recal: {batch: 3}}

            """, file: "e.yaml")
        #expect(try MemoryEstimate.largest(config).what == "Training gap at 16 px with batch 5000")
        #expect(try MemoryEstimate.largest(config, scope: .testing).what == "Testing gap at 32 px with batch 1")
        #expect(try MemoryEstimate.largest(config, scope: .remedies).what == "Recalibrating (bn-recal) gap at 16 px with batch 3")
    }

    /// The blurpool remedy retrains a different network, the model's BlurPool variant (here
    /// `conv 3x3 8, relu, blurpool 2, gap, dense classes`): its training at the training size
    /// with the training batch and its testing at `remedies.at` are estimated from its own plan.
    @Test func theMemoryEstimateCoversTheBlurPoolRetraining() throws {
        let yaml = Self.dataset + """
            models:
              - name: strided
                layers: [conv 3x3 8 stride 2, relu, gap, dense classes]
            training: {batch: 5000, resolutions: [16]}
            evaluation: {resolutions: [16, 48], batch: 1}
            remedies: {run: [blurpool], at: [48]}

            """
        let config = try parseExperiment(yaml: yaml, file: "e.yaml")
        let parameters = (3 * 3 * 3 * 8 + 8) + (8 * 10 + 10)
        // `reslab remedy` trains nothing else: the variant's retraining (the 16²×3 image and
        // gap's 8 values kept per image) is its largest need; without it, testing at 48 px was.
        let remedies = try MemoryEstimate.largest(config, scope: .remedies)
        #expect(remedies.bytes == 5000 * 4 * (16 * 16 * 3 + 8) + 16 * parameters)
        #expect(remedies.what == "Retraining (blurpool) strided at 16 px with batch 5000")
        #expect(remedies.fix == "lower training.batch or the training resolution, or remove blurpool from remedies.run.")

        // `reslab run`: the variant's stride-1 convolution writes 48²×8 floats per image at 48 px,
        // four times the untreated model's widest output; with a small training batch its
        // testing is the largest need.
        var small = config
        small.training.batch = 1
        small.evaluation.batch = 1000
        let run = try MemoryEstimate.largest(small)
        #expect(run.bytes == 1000 * 4 * 48 * 48 * 8)
        #expect(run.what == "Testing (blurpool) strided at 48 px with batch 1000")
        var untreated = small
        untreated.remedies = nil
        #expect(try MemoryEstimate.largest(untreated).bytes == 1000 * 4 * 24 * 24 * 8)

        // `reslab remedy` refuses it up front, before it looks for finished cells.
        let folder = try ReslabBinary.temporaryFolder("blurpool-memory")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runFolder = RunFolder(path: folder)
        try yaml.write(toFile: runFolder.experimentFile, atomically: true, encoding: .utf8)
        try yaml.write(toFile: runFolder.resolvedConfigFile, atomically: true, encoding: .utf8)
        var options = RemedyOptions(runFolder: folder, threads: 1)
        options.memoryLimit = remedies.bytes - 1
        #expect(throws: ExperimentError.tooMuchMemory(what: remedies.what, need: remedies.bytes, limit: remedies.bytes - 1,
                                                       fix: remedies.fix)) {
            try runRemedies(options)
        }
    }

    /// Graph models are estimated from their plan as list models are. resnet-20 at 32 px,
    /// counted by hand from He et al.'s CIFAR layout (docs/engine.md's block diagram): the
    /// tensors its convolutions and the dense layer read, each once — the 32²×3 image, 7 maps of
    /// 32²×16 (the stem's and each stage-1 block's middle and output, the last read by both the
    /// stage-2 projection and its first conv), 6 of 16²×32, 5 of 8²×64, and gap's 64 values:
    /// 187,456 floats; 273,258 trainable parameters (10 classes).
    @Test func graphModelsAreEstimatedFromTheirPlan() throws {
        let yaml = Self.dataset + """
            models:
              - name: r20
                zoo: resnet-20
              - name: mobile
                zoo: mobilenetv2-cifar
            training: {batch: 10, resolutions: [32]}
            evaluation: {resolutions: [32], batch: 1}

            """
        let config = try parseExperiment(yaml: yaml, file: "e.yaml")
        let kept = 749_824   // bytes: 4 × 187,456 floats, as counted above
        var resnet = config
        resnet.models.removeLast()
        let need = try MemoryEstimate.largest(resnet)
        #expect(need.bytes == 10 * kept + 16 * 273_258)
        #expect(need.what == "Training r20 at 32 px with batch 10")
        // MobileNetV2 keeps more per image than resnet-20, so it is the larger need of the two.
        let both = try MemoryEstimate.largest(config)
        #expect(both.what == "Training mobile at 32 px with batch 10" && both.bytes > need.bytes)
        #expect(throws: ExperimentError.tooMuchMemory(what: both.what, need: both.bytes, limit: both.bytes - 1,
                                                       fix: "lower training.batch or the training resolution.")) {
            try MemoryEstimate.check(config, limit: both.bytes - 1)
        }
        // `reslab run --dry-run` refuses it the same way before timing anything.
        let folder = NSTemporaryDirectory() + "reslab-graph-memory-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try yaml.write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        var options = RunOptions(configPath: folder + "/e.yaml", threads: 1)
        options.runsRoot = folder + "/runs"
        options.memoryLimit = both.bytes - 1
        #expect(throws: ExperimentError.tooMuchMemory(what: both.what, need: both.bytes, limit: both.bytes - 1,
                                                       fix: "lower training.batch or the training resolution.")) {
            try planExperiment(options, measure: false)
        }
    }

    /// Every shipped experiment passes the default checks with room to spare (less than 4 GiB).
    @Test func shippedExperimentsFitWellWithinTheLimits() throws {
        let folder = Fixtures.packageRoot.path + "/experiments"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 5)
        for name in names {
            let config = try loadExperiment(path: folder + "/" + name, dataOverride: NSTemporaryDirectory())
            let need = try MemoryEstimate.largest(config)
            #expect(need.bytes < 4 << 30, "\(name): \(need.what) \(need.bytes)")
        }
    }
}
