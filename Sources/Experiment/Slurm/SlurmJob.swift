/// What one `reslab slurm` submission needs: where things are, how many cells, and the resources
/// each array task asks for. Paths are absolute: the tasks run on other machines, in other folders.
public struct SlurmJob: Equatable, Sendable {
    /// The job name shown by `squeue`, e.g. `reslab-quickstart`; the report job appends `-report`.
    public var name: String
    /// The `reslab` executable the tasks run (a path that the compute nodes can see).
    public var executable: String
    /// The experiment file.
    public var config: String
    /// `--data`: replaces the config's dataset folder in every task.
    public var dataOverride: String?
    /// The run folder that every task writes its cell into.
    public var runFolder: String
    /// The folder the tasks start in (relative paths inside the config resolve from here).
    public var workingDirectory: String
    /// The number of cells; array task K runs cell K, for K in 0..<cellCount.
    public var cellCount: Int
    public var resources: SlurmResources

    public init(
        name: String, executable: String, config: String, runFolder: String,
        workingDirectory: String, cellCount: Int, resources: SlurmResources, dataOverride: String? = nil
    ) {
        self.name = name
        self.executable = executable
        self.config = config
        self.runFolder = runFolder
        self.workingDirectory = workingDirectory
        self.cellCount = cellCount
        self.resources = resources
        self.dataOverride = dataOverride
    }

    /// `RUN/logs`: one log per array task and one for the report job.
    public var logFolder: String { runFolder + "/logs" }
    /// `RUN/slurm`: the generated scripts.
    public var scriptFolder: String { runFolder + "/slurm" }
    public var cellsScriptPath: String { scriptFolder + "/cells.sbatch" }
    public var reportScriptPath: String { scriptFolder + "/report.sbatch" }
}

/// The resources each array task requests. `nil` leaves the cluster's default in place.
public struct SlurmResources: Equatable, Sendable {
    /// Cores per task; also the number of threads the cell trains with.
    public var cpusPerTask: Int
    /// Memory per task in sbatch's syntax, e.g. `4G` or `8000M`.
    public var memory: String?
    /// Wall-time limit per task (estimated from the plan unless given).
    public var time: SlurmTime
    /// At most this many tasks run at once (`--array=0-(N-1)%throttle`).
    public var throttle: Int?
    public var partition: String?
    public var account: String?

    public init(
        cpusPerTask: Int, memory: String? = nil, time: SlurmTime, throttle: Int? = nil,
        partition: String? = nil, account: String? = nil
    ) {
        self.cpusPerTask = cpusPerTask
        self.memory = memory
        self.time = time
        self.throttle = throttle
        self.partition = partition
        self.account = account
    }
}
