import ArgumentParser
import Experiment
import Foundation

/// `reslab slurm CONFIG --out RUN`: the sweep's cells as a Slurm job array plus a report job.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Run an experiment's cells as a Slurm job array, and its report once they are done.",
        discussion: """
            Writes RUN/slurm/cells.sbatch (array task K runs `reslab run CONFIG --out RUN --cell K`) and \
            RUN/slurm/report.sbatch (`reslab report RUN`, after the array with --dependency=afterany). \
            With --submit, submits both and prints the job ids. See docs/cluster.md.
            """)

    @Argument(help: "The experiment file.")
    var config: String

    @Option(help: "The run folder that every task writes its cell into (on a file system the compute nodes share).")
    var out: String

    @Option(help: "A dataset folder that replaces the config's, passed on to every task.")
    var data: String?

    @Flag(help: "Submit the scripts with sbatch and print the job ids.")
    var submit = false

    @Option(parsing: .unconditional, help: "Run at most this many tasks at once.")
    var throttle: Int?

    @Option(parsing: .unconditional, help: "Cores per task; each cell trains with this many threads.")
    var cpusPerTask = 2

    @Option(help: "Memory per task, e.g. 4G (default: the cluster's).")
    var mem: String?

    @Option(help: "Time limit per task, e.g. 90, 1:30:00 or 1-00:00:00 (default: estimated from the plan's FLOPs).",
            transform: { text in
                guard let time = SlurmTime(text) else { throw SlurmError.invalidTime(text) }
                return time
            })
    var time: SlurmTime?

    @Option(help: "The partition to submit to (default: the cluster's).")
    var partition: String?

    @Option(help: "The account to charge (default: yours).")
    var account: String?

    @Option(help: "The reslab binary the tasks run (default: this one); the compute nodes must see it.")
    var executable: String?

    func validate() throws {
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1.") }
        if let throttle, throttle < 1 { throw ValidationError("--throttle must be at least 1 (tasks running at once).") }
    }

    func run() throws {
        var request = SlurmRequest(configPath: config, runFolder: out,
                                   executable: executable ?? Bundle.main.executablePath ?? CommandLine.arguments[0])
        request.dataOverride = data
        request.cpusPerTask = cpusPerTask
        request.memory = mem
        request.time = time
        request.throttle = throttle
        request.partition = partition
        request.account = account
        request.submit = submit
        print(describe(try launchSlurm(request)))
    }

    /// What was written or submitted, and what to do next.
    func describe(_ outcome: SlurmOutcome) -> String {
        let job = outcome.job
        let basis = outcome.estimate.map {
            String(format: " (estimated: the longest cell's %.3g GFLOP at %.3g GFLOP/s, ", $0.cellFLOPs / 1e9, $0.flopsPerSecond / 1e9)
                + ($0.measured ? "its model timed here" : "assumed") + ", ×3, + 2 min)"
        } ?? ""
        var lines = [
            "Wrote \(job.cellsScriptPath): \(job.cellCount) cells as array tasks 0-\(job.cellCount - 1), "
                + "\(job.resources.cpusPerTask) CPUs and \(job.resources.time) each\(basis).",
            "Wrote \(job.reportScriptPath): reslab report, after the array.",
        ]
        if let submission = outcome.submission {
            lines += [
                "Submitted array job \(submission.arrayJob) (\(job.cellCount) cells) and report job "
                    + "\(submission.reportJob), which starts when \(submission.arrayJob) is over.",
                "Watch them with: \(submission.watchCommand)",
                "Logs: \(job.logFolder)   Report: \(job.runFolder)/report.html",
            ]
        } else {
            lines += [
                "Submit them with --submit, or by hand:",
                "  jobid=$(sbatch --parsable \(job.cellsScriptPath))",
                "  sbatch --dependency=afterany:$jobid \(job.reportScriptPath)",
            ]
        }
        return lines.joined(separator: "\n")
    }
}
