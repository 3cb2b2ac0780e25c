import ArgumentParser
import Experiment
import Foundation

/// `reslab eval`: probes a saved model on the user's images at many resolutions and methods.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Test a saved model on a class-per-folder dataset at many resolutions and resize methods.")

    @Option(help: "The checkpoint (from `reslab train` or a run folder's checkpoints/).")
    var model: String

    @Option(help: "A class-per-folder dataset with the model's classes (its val/ split if it has one, else all images).")
    var data: String

    @Option(help: "Test resolutions, e.g. 16,24,32,48,64.")
    var resolutions: String = "16,24,32,48,64"

    @Option(help: "Resize methods: nearest, bilinear, bicubic, lanczos, box, hamming.")
    var methods: String = "bilinear,nearest"

    @Flag(help: "Also test every method without antialiasing.")
    var noAntialias = false

    @Option(help: "Centre-crop as timm (resize the shorter side to size/crop_pct first), e.g. 0.875; default squash.")
    var cropPct: Double?

    @Option(help: "The run folder to write (default runs/eval-<model>-<timestamp>).")
    var out: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print only the final lines.") var quiet = false

    func run() throws {
        var options = EvalOptions(checkpoint: model, data: data, threads: threads)
        options.out = out
        let sizes = resolutions.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--resolutions takes sizes in pixels separated by commas, e.g. 16,24,32.")
        }
        options.evaluation.resolutions = .list(sizes.compactMap { $0 })
        options.evaluation.methods = try methods.split(separator: ",").map { name in
            guard let method = FilterName(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--methods: `\(name)` is not one of \(FilterName.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return method
        }
        options.evaluation.antialias = noAntialias ? [true, false] : [true]
        if let cropPct { options.evaluation.crop = .center(cropPct: cropPct) }
        let summary = try runWithProgress(quiet: quiet) { control, progress in
            try evaluateCheckpoint(options, control: control, progress: progress)
        }
        print("Results: \(summary.resultsFile)")
        if let report = summary.reportFile { print("Report: \(report)") }
    }
}
