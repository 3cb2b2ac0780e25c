import ArgumentParser
import Experiment

/// `reslab compare RUN_A RUN_B …`: one report overlaying the runs' accuracy curves.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Overlay the accuracy curves of several runs in one report, with paired tests where they tested the same images.",
        discussion: """
            Each run's series are named "<run folder> · <method>"; a model trained at the same size in several runs \
            gets one chart with every run's lines. When all runs tested the same images, the "Resize methods" \
            section compares every series with the first run's first method image by image (paired tests).
            """)

    @Argument(help: "Two or more run folders (runs/<experiment>-<timestamp>).")
    var runs: [String]

    @Option(name: [.short, .long], help: "The folder to write report.html and summary.json into (default runs/compare-<timestamp>).")
    var out: String?

    func run() throws {
        let summary = try compareRuns(runs, out: out)
        print(summary.paired ? "The runs tested the same images: differences are paired tests."
              : "The runs tested different images: no paired tests, only each run's intervals.")
        print("Report: \(summary.reportFile)")
    }
}
