import Foundation

/// What `reslab slurm` was asked for.
public struct SlurmRequest: Sendable {
    public var configPath: String
    /// `--out`: the run folder every task writes into.
    public var runFolder: String
    /// `--data`: passed on to every task's `reslab run`.
    public var dataOverride: String?
    /// The `reslab` binary the tasks run.
    public var executable: String
    public var cpusPerTask = 2
    public var memory: String?
    /// `--time`; estimated from the plan when nil.
    public var time: SlurmTime?
    public var throttle: Int?
    public var partition: String?
    public var account: String?
    /// Call sbatch after writing the scripts.
    public var submit = false

    public init(configPath: String, runFolder: String, executable: String) {
        self.configPath = configPath
        self.runFolder = runFolder
        self.executable = executable
    }
}

/// How a time limit was estimated: the slowest cell's FLOPs and its overall rate (training and
/// evaluation at its model's rates).
public struct SlurmEstimate: Equatable, Sendable {
    public var cellFLOPs: Double
    public var flopsPerSecond: Double
    /// True when the rates were timed on this machine, false for `ModelSpeed.fallback`.
    public var measured: Bool
}

/// What `reslab slurm` did.
public struct SlurmOutcome: Sendable {
    public var job: SlurmJob
    /// Nil when `--time` was given.
    public var estimate: SlurmEstimate?
    /// Nil without `--submit`.
    public var submission: SlurmSubmission?
}

/// Reads the experiment's plan, writes the array and report scripts into `RUN/slurm/`, and with
/// `submit` hands them to sbatch. Paths become absolute: tasks start elsewhere.
public func launchSlurm(_ request: SlurmRequest, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws -> SlurmOutcome
{
    let plan = try slurmPlan(request, measure: request.time == nil)
    let estimate = request.time == nil ? slurmEstimate(plan) : nil
    let time = request.time ?? SlurmTime.estimate(cellFLOPs: estimate!.cellFLOPs, flopsPerSecond: estimate!.flopsPerSecond)
    let workingDirectory = FileManager.default.currentDirectoryPath
    let absolute = { (path: String) in URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory)).standardizedFileURL.path }
    var job = SlurmJob(
        name: "reslab-" + plan.experiment, executable: absolute(request.executable), config: absolute(request.configPath),
        runFolder: absolute(request.runFolder), workingDirectory: workingDirectory, cellCount: plan.rows.count,
        resources: SlurmResources(cpusPerTask: request.cpusPerTask, memory: request.memory, time: time,
                                  throttle: request.throttle, partition: request.partition, account: request.account))
    job.dataOverride = request.dataOverride.map(absolute)
    try job.writeScripts()
    let submission = request.submit ? try job.submit(environment: environment) : nil
    return SlurmOutcome(job: job, estimate: estimate, submission: submission)
}
