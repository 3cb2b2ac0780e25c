import ArgumentParser
import Experiment
import Foundation

/// `reslab remedy RUN`: applies remedies to a finished run's trained models at chosen test sizes
/// and adds them to its results.csv and report ("What to do").
struct RemedyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remedy",
        abstract: "Apply remedies (resize, bn-recal, rounding, fixres, multires, blurpool) to a finished run at chosen test sizes.",
        discussion: "Each remedy is tested on the untreated model's test images and compared with it in the report's \"What to do\" section. Results already stored are kept; an interrupted call continues where it stopped.")

    @Argument(help: "The run folder.")
    var folder: String

    @Option(help: "Test sizes to treat, e.g. 20,48 (each one the run evaluated); default: the run's remedies.at.")
    var at: String?

    @Option(help: "Only these remedies, e.g. bn-recal,resize; default: the run's remedies.run (all without one).")
    var only: String?

    @Option(help: "The dataset folder, when it moved since the run.")
    var data: String?

    @OptionGroup var workers: ThreadsOption

    @OptionGroup var memory: MemoryOption
    @OptionGroup var limits: InputLimitOptions

    @Flag(help: "Write results.csv but not report.html.") var noReport = false

    @Flag(help: "Print only the final lines.") var quiet = false

    func run() throws {
        limits.apply()
        var options = RemedyOptions(runFolder: folder, threads: workers.threads)
        options.dataOverride = data
        options.skipReport = noReport
        if let bytes = memory.bytes {
            options.memoryBudget = bytes
            options.memoryLimit = bytes
        }
        if let at {
            let sizes = at.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw ValidationError("--at takes test sizes in pixels separated by commas, e.g. 20,48.")
            }
            options.at = sizes.compactMap { $0 }
        }
        if let only {
            options.only = try only.split(separator: ",", omittingEmptySubsequences: false).map { name in
                guard let remedy = RemedyKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--only: `\(name)` is not a remedy; use \(RemedyKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return remedy
            }
        }
        let summary = try runWithProgress(quiet: quiet) { control, progress in
            try runRemedies(options, control: control, progress: progress)
        }
        print("Results: \(summary.resultsFile)")
        if let report = summary.reportFile { print("Report: \(report)") }
    }
}
