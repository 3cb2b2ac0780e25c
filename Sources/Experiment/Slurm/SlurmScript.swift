/// The text of the two sbatch scripts `reslab slurm` writes: the cells as a job array, and the
/// report job that runs once the array is over. Pure functions of a `SlurmJob`.
extension SlurmJob {
    /// The report job's wall-time limit: it reads result files and writes HTML, no training.
    static let reportTime = SlurmTime(minutes: 30)

    /// The job array: task K runs `reslab run CONFIG --out RUN --cell K --no-report` with as many
    /// threads as the task has cores (the report job writes report.html once, rather than every
    /// task rewriting it). A cell whose result exists is skipped, so resubmitting runs only the
    /// missing ones.
    public var cellsScript: String {
        let array = "0-\(cellCount - 1)" + (resources.throttle.map { "%\($0)" } ?? "")
        return script(
            about: [
                "The cells of \(config) as a Slurm job array, written by `reslab slurm`.",
                "Array task K runs cell K of `reslab run CONFIG --plan` into \(runFolder).",
                "A cell whose result exists is skipped: resubmitting this script runs only the missing cells.",
                "Submit it, then the report job:",
                "  sbatch \(cellsScriptPath)",
                "  sbatch --dependency=afterany:<array job id> \(reportScriptPath)",
            ],
            options: [
                ("job-name", name), ("array", array), ("cpus-per-task", "\(resources.cpusPerTask)"),
                ("mem", resources.memory), ("time", resources.time.description),
                ("partition", resources.partition), ("account", resources.account),
                ("chdir", workingDirectory), ("output", logFolder + "/cell-%a.job%A.out"),
            ],
            command: [shellQuoted(executable), "run", shellQuoted(config), "--out", shellQuoted(runFolder)]
                + (dataOverride.map { ["--data", shellQuoted($0)] } ?? [])
                + ["--cell", "\"$SLURM_ARRAY_TASK_ID\"", "--threads", "\"$SLURM_CPUS_PER_TASK\"", "--no-report"])
    }

    /// The report job, submitted with `--dependency=afterany:<array job id>`: it runs however the
    /// tasks ended, and the report marks cells without a result as missing.
    public var reportScript: String {
        script(
            about: [
                "The report of \(runFolder), written by `reslab slurm`. Submit it after the cells' array job:",
                "  sbatch --dependency=afterany:<array job id> \(reportScriptPath)",
                "afterany runs it however the tasks ended; the report marks cells without a result as missing.",
            ],
            options: [
                ("job-name", name + "-report"), ("cpus-per-task", "1"), ("mem", resources.memory),
                ("time", Self.reportTime.description),
                ("partition", resources.partition), ("account", resources.account),
                ("chdir", workingDirectory), ("output", logFolder + "/report.job%j.out"),
            ],
            command: [shellQuoted(executable), "report", shellQuoted(runFolder)])
    }

    /// A bash script: comment lines, `#SBATCH --key=value` for each non-nil option (sbatch reads
    /// them only above the first command), then `exec` of the command so that `scancel`'s signals
    /// reach reslab itself.
    private func script(about: [String], options: [(String, String?)], command: [String]) -> String {
        var lines = ["#!/bin/bash"] + about.map { "# " + $0 }
        for case let (key, value?) in options {
            lines.append("#SBATCH --\(key)=\(sbatchQuoted(value))")
        }
        lines += ["set -euo pipefail", "exec " + command.joined(separator: " ")]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `text` as one bash word: single-quoted, with each `'` written as `'\''`.
func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
}

/// An `#SBATCH` value: sbatch splits at white space unless the value is in double quotes.
/// `SlurmJob.validate()` rejects the characters this cannot express.
func sbatchQuoted(_ value: String) -> String {
    value.contains(where: \.isWhitespace) ? "\"\(value)\"" : value
}
