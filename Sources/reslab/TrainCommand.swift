import ArgumentParser
import Experiment
import Foundation

/// `reslab train`: trains one model and saves its checkpoint.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one model on a class-per-folder dataset (or the built-in one) and save a checkpoint.")

    @Option(help: "A class-per-folder dataset (default: the built-in generated stripes).")
    var data: String?

    @Option(help: "A zoo model: \(ModelZoo.names.joined(separator: ", ")).")
    var model: String = "gap-cnn"

    @Option(help: "Layers instead of a zoo model, separated by commas, e.g. \"conv 3x3 16,relu,gap,dense classes\".")
    var layers: String?

    @Option(help: "rgb (3 input channels) or grayscale (1, as MNIST); see docs/experiments.md, \"Input channels\".")
    var color: ColorMode = .rgb

    @Option(parsing: .unconditional, help: "Training resolution in pixels.")
    var resolution: Int = 32

    @Option(parsing: .unconditional, help: "Epochs.") var epochs: Int = 10
    @Option(parsing: .unconditional, help: "Batch size.") var batch: Int = 64
    @Option(parsing: .unconditional, help: "Peak learning rate (SGD with momentum 0.9, cosine schedule).") var lr: Double = 0.05
    @Option(parsing: .unconditional, help: "Seed for weights, data order and augmentation.") var seed: Int = 0
    @Flag(help: "Random crop (4 px padding) and horizontal flip.") var augment = false

    @Option(name: [.short, .long], help: "Where to write the checkpoint.")
    var out: String = "model.ckpt"

    @Option(name: .customLong("output"), help: .hidden)
    var outputAlias: String?

    @OptionGroup var workers: ThreadsOption

    @OptionGroup var memory: MemoryOption
    @OptionGroup var limits: InputLimitOptions

    @Flag(help: "Print only the final lines.") var quiet = false

    func validate() throws {
        if layers == nil && ModelZoo.model(model) == nil {
            throw ValidationError("--model \(model) is not in the zoo; use one of \(ModelZoo.names.joined(separator: ", ")), or --layers.")
        }
        if resolution < 1 || epochs < 1 || batch < 1 || !(lr > 0 && lr.isFinite) {
            throw ValidationError("--resolution, --epochs, --batch and --lr must be positive.")
        }
    }

    func run() throws {
        limits.apply()
        let spec = layers.map { text in
            ModelConfig(name: "custom", layers: text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        } ?? ModelConfig(name: model, zoo: model)
        var options = TrainOptions(data: data, model: spec, output: outputAlias ?? out, threads: workers.threads)
        options.color = color
        options.seed = seed
        if let bytes = memory.bytes {
            options.memoryBudget = bytes
            options.memoryLimit = bytes
        }
        options.training.resolutions = [resolution]
        options.training.epochs = epochs
        options.training.batch = batch
        options.training.optimizer.lr = lr
        if augment {
            options.training.augmentation.randomCrop = 4
            options.training.augmentation.flip = true
        }
        let summary = try runWithProgress(quiet: quiet) { control, progress in
            try trainModel(options, control: control, progress: progress)
        }
        print("Checkpoint: \(options.output)")
        print("Run folder: \(summary.folder)")
    }
}

extension ColorMode: ExpressibleByArgument {}
