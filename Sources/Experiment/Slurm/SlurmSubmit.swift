import Foundation

/// The job ids of a submitted sweep.
public struct SlurmSubmission: Equatable, Sendable {
    /// The array job that runs the cells.
    public var arrayJob: String
    /// The report job, which waits for the array job.
    public var reportJob: String

    public init(arrayJob: String, reportJob: String) {
        self.arrayJob = arrayJob
        self.reportJob = reportJob
    }

    /// The command that shows both jobs while they are queued or running.
    public var watchCommand: String { "squeue -j \(arrayJob),\(reportJob)" }
}

extension SlurmJob {
    /// Throws when a value cannot be written into the scripts as it is.
    public func validate() throws {
        guard cellCount > 0 else { throw SlurmError.emptyPlan(config: config) }
        for (what, path) in [("config", config), ("run folder", runFolder),
                             ("working directory", workingDirectory), ("reslab executable", executable),
                             ("data", dataOverride ?? "")]
        where path.contains(where: { "\"%\\\n\r".contains($0) }) {
            throw SlurmError.unsupportedPath(what: what, path: path)
        }
        if let memory = resources.memory, memory.wholeMatch(of: #/[0-9]+[KMGT]?/#) == nil {
            throw SlurmError.invalidValue(option: "--mem", value: memory,
                                          expected: "a size such as 4G, 500M or 8000 (megabytes)")
        }
        for (option, value) in [("--partition", resources.partition), ("--account", resources.account)] {
            if let value, value.wholeMatch(of: #/[A-Za-z0-9_.,\-]+/#) == nil {
                throw SlurmError.invalidValue(option: option, value: value,
                                              expected: "a Slurm name (letters, digits, _ . , -)")
            }
        }
    }

    /// Writes `cells.sbatch` and `report.sbatch` into `RUN/slurm/` and creates `RUN/logs/`, which
    /// must exist before a task starts (Slurm does not create the folders of `--output`).
    public func writeScripts() throws {
        try validate()
        let files = FileManager.default
        try files.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
        try files.createDirectory(atPath: scriptFolder, withIntermediateDirectories: true)
        for (path, text) in [(cellsScriptPath, cellsScript), (reportScriptPath, reportScript)] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
    }

    /// Submits the written scripts: the array job, then the report job with
    /// `--dependency=afterany:<array job>`. `environment` supplies `PATH` (to find `sbatch`) and
    /// `SLURM_CONF`.
    public func submit(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SlurmSubmission {
        guard let sbatch = executableOnPath("sbatch", path: environment["PATH"] ?? "") else {
            throw SlurmError.sbatchNotFound(cellsScript: cellsScriptPath, reportScript: reportScriptPath)
        }
        let array = try runSbatch(sbatch, [cellsScriptPath], environment: environment)
        let report = try runSbatch(sbatch, ["--dependency=afterany:\(array)", reportScriptPath],
                                   environment: environment)
        return SlurmSubmission(arrayJob: array, reportJob: report)
    }
}

/// Runs `sbatch --parsable ARGUMENTS` and returns the job id it prints (`123`, or `123;cluster`
/// on a federated cluster).
private func runSbatch(_ sbatch: String, _ arguments: [String], environment: [String: String]) throws -> String {
    let script = arguments.last!
    let finished = try runProgram(sbatch, ["--parsable"] + arguments, environment: environment)
    guard finished.status == 0 else {
        throw SlurmError.sbatchFailed(script: script, status: finished.status,
                                      output: finished.errors.isEmpty ? finished.output : finished.errors)
    }
    let line = finished.output.trimmingCharacters(in: .whitespacesAndNewlines)
    let id = line.split(separator: ";").first.map(String.init) ?? ""
    guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
        throw SlurmError.unexpectedSbatchOutput(script: script, output: line)
    }
    return id
}

/// The first executable file called `name` in the colon-separated `path`, or `nil`.
func executableOnPath(_ name: String, path: String) -> String? {
    path.split(separator: ":").lazy
        .map { "\($0)/\(name)" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
