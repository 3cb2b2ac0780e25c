import ArgumentParser
import Experiment
import Report
import Resample

/// `reslab report RUN`: rebuilds results.csv and report.html from a run folder's stored results.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild a run folder's results.csv and report.html from its stored results.")

    @Argument(help: "The run folder (runs/<experiment>-<timestamp>).")
    var runFolder: String

    @Option(help: "The resize method the others are compared to (its antialiased variant when both were run), e.g. bilinear; default: the first in the experiment file.")
    var reference: Filter?

    func run() throws {
        let report = try rebuildReport(runFolder: runFolder, options: ReportOptions(referenceMethod: reference))
        print("Report: \(report)")
    }
}
