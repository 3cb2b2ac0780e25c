import ArgumentParser
import Experiment

/// `reslab report RUN`: rebuilds results.csv and report.html from a run folder's stored results.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild a run folder's results.csv and report.html from its stored results.")

    @Argument(help: "The run folder (runs/<experiment>-<timestamp>).")
    var runFolder: String

    func run() throws {
        let report = try rebuildReport(runFolder: runFolder)
        print("Report: \(report)")
    }
}
