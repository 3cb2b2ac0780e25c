import ArgumentParser
import Experiment
import Foundation
import Resample

/// `reslab eval`: probes a saved model on the user's images at many resolutions and methods.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Test a saved model on a class-per-folder dataset at many resolutions and resize methods.")

    @Option(help: "The checkpoint (from `reslab train` or a run folder's checkpoints/), or an ONNX model (.onnx).")
    var model: String

    @Option(help: "A class-per-folder dataset with the model's classes.")
    var data: String

    @Option(help: ArgumentHelp(
        "Which images of --data to test: test, train or all.",
        discussion: "test: the held-out images (val/ or test/, or the part of each class that the checkpoint's recorded split kept out of training). Default: test when the held-out images can be told apart (split folders, or the folder the checkpoint was trained on), else all."))
    var split: EvalSplit?

    @Option(parsing: .unconditional, help: "Test resolutions, e.g. 16,24,32,48,64.")
    var resolutions: String = "16,24,32,48,64"

    @Option(help: "Resize methods: \(Filter.names).")
    var methods: String = "bilinear,nearest"

    @Option(help: "Antialias settings to test: on (Pillow's resize), off (point sampling, as OpenCV) or both.")
    var antialias: AntialiasChoice = .on

    @Flag(help: "Same as --antialias off: resize without antialiasing (as `reslab resize --no-antialias`).")
    var noAntialias = false

    @Option(parsing: .unconditional, help: "Centre-crop as timm (resize the shorter side to size/crop_pct first), e.g. 0.875; default squash.")
    var cropPct: Double?

    @Option(name: [.short, .long], help: "The run folder to write (default runs/eval-<model>-<timestamp>).")
    var out: String?

    @Option(name: .customLong("output"), help: .hidden)
    var outputAlias: String?

    @OptionGroup var workers: ThreadsOption

    @OptionGroup var memory: MemoryOption
    @OptionGroup var limits: InputLimitOptions

    @Flag(help: "Print only the final lines.") var quiet = false

    @OptionGroup var onnx: ONNXOptions

    func validate() throws {
        if noAntialias && antialias != .on {
            throw ValidationError("--no-antialias is --antialias off; give one of them.")
        }
        if let cropPct, !(cropPct > 0 && cropPct <= 1) {
            throw ValidationError("--crop-pct \(cropPct) must be in (0, 1], e.g. 0.875.")
        }
        if !ONNXSource.isModelPath(model), let option = onnx.given.first {
            throw ValidationError("\(option) prepares the input of an ONNX model (.onnx); the checkpoint \(model) records its own normalisation, size and classes, so leave it out.")
        }
        _ = try onnx.preprocessing()
    }

    func run() throws {
        limits.apply()
        var options = EvalOptions(checkpoint: model, data: data, threads: workers.threads)
        options.split = split
        options.out = out ?? outputAlias
        if let bytes = memory.bytes {
            options.memoryBudget = bytes
            options.memoryLimit = bytes
        }
        options.preprocessing = try onnx.preprocessing()
        options.classesFile = onnx.classes
        let sizes = resolutions.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--resolutions takes sizes in pixels separated by commas, e.g. 16,24,32.")
        }
        options.evaluation.resolutions = .list(sizes.compactMap { $0 })
        options.evaluation.methods = try methods.split(separator: ",").map { name in
            guard let method = Filter(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--methods: `\(name)` is not one of \(Filter.names).")
            }
            return method
        }
        options.evaluation.antialias = (noAntialias ? .off : antialias).settings
        if let cropPct { options.evaluation.crop = .center(cropPct: cropPct) }
        let summary = try runWithProgress(quiet: quiet) { control, progress in
            try evaluateCheckpoint(options, control: control, progress: progress)
        }
        print("Tested \(summary.tested).")
        for warning in summary.warnings {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        print("Results: \(summary.run.resultsFile)")
        if let report = summary.run.reportFile { print("Report: \(report)") }
    }
}

extension EvalSplit: ExpressibleByArgument {}

/// `reslab eval --antialias`: which antialias settings to test.
enum AntialiasChoice: String, CaseIterable, ExpressibleByArgument {
    case on, off, both

    /// The settings `evaluation.antialias` lists.
    var settings: [Bool] {
        switch self {
        case .on: return [true]
        case .off: return [false]
        case .both: return [true, false]
        }
    }
}
