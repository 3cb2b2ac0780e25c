import Foundation

/// Why `reslab slurm` could not write or submit its scripts. Messages are sentences that say what
/// to do.
public enum SlurmError: Error, Equatable, CustomStringConvertible {
    /// A `--time` value that is not in one of sbatch's formats.
    case invalidTime(String)
    /// A `--mem`, `--partition` or `--account` value that sbatch would misread.
    case invalidValue(option: String, value: String, expected: String)
    /// A path that cannot be written into an `#SBATCH` line or a comment (`"`, `%`, `\`, newline).
    case unsupportedPath(what: String, path: String)
    /// The experiment has no cells.
    case emptyPlan(config: String)
    /// `sbatch` is not on `PATH`; the scripts were written.
    case sbatchNotFound(cellsScript: String, reportScript: String)
    /// A program (sbatch) could not be started at all.
    case cannotStart(program: String, reason: String)
    /// `sbatch` ran and failed.
    case sbatchFailed(script: String, status: Int32, output: String)
    /// `sbatch --parsable` printed something other than a job id.
    case unexpectedSbatchOutput(script: String, output: String)

    public var description: String {
        switch self {
        case .invalidTime(let text):
            return "The time limit '\(text)' is not one Slurm understands; write minutes (90), "
                + "H:MM:SS (1:30:00) or D-HH:MM:SS (2-00:00:00)."
        case .invalidValue(let option, let value, let expected):
            return "The value '\(value)' of \(option) is not valid: expected \(expected)."
        case .unsupportedPath(let what, let path):
            return "The \(what) path '\(path)' contains a character that an sbatch script cannot hold "
                + "(a double quote, %, backslash or newline); move or rename it."
        case .emptyPlan(let config):
            return "\(config) describes no cells, so there is nothing to run on the cluster; "
                + "check its models, train resolutions and seeds."
        case .sbatchNotFound(let cells, let report):
            return "sbatch is not on PATH, so nothing was submitted. The scripts are written: on a "
                + "machine with Slurm, run 'sbatch --parsable \(cells)' and then "
                + "'sbatch --dependency=afterany:<job id it printed> \(report)'."
        case .cannotStart(let program, let reason):
            return "Could not start \(program): \(reason). Check that it is an executable file."
        case .sbatchFailed(let script, let status, let output):
            return "sbatch could not submit \(script) (exit status \(status)): "
                + "\(output.trimmingCharacters(in: .whitespacesAndNewlines))\n"
                + "Fix what it reports (an option such as --partition, --mem or --time, or the Slurm "
                + "configuration) and run reslab slurm again."
        case .unexpectedSbatchOutput(let script, let output):
            return "sbatch accepted \(script) but printed '\(output)' instead of a job id; "
                + "check with squeue whether the job exists before submitting again."
        }
    }
}
