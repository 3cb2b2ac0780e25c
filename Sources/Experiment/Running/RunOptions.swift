/// How `reslab run` was asked to run an experiment.
public struct RunOptions: Sendable {
    /// The experiment file; nil with `resume` (the run folder holds its configuration).
    public var configPath: String?
    /// `--data`: replaces `dataset.folder`.
    public var dataOverride: String?
    /// `--set PATH=VALUE`: changes to the experiment file, applied in order before it is checked.
    public var overrides: [ConfigOverride] = []
    /// `--out`: the run folder to create or continue (several processes may share it).
    public var out: String?
    /// `--resume`: continue this run folder with its stored configuration.
    public var resume: String?
    /// `--cell`/`--cells`: run only these cell ids (others are left for other processes).
    public var cells: [Int]?
    /// `--fresh`: always start a new run folder, even if an unfinished one matches.
    public var fresh = false
    /// Worker threads for training, resizing and decoding.
    public var threads: Int
    /// Bytes of decoded images and resized tensors kept in memory before streaming (default 4 GiB).
    public var memoryBudget = 4 << 30
    /// Bytes the run may need at least (`MemoryEstimate`); a larger need is refused before it starts.
    public var memoryLimit = MemoryEstimate.defaultLimit
    /// Where new run folders go.
    public var runsRoot = "runs"
    /// Skip report.html (results.csv is always written).
    public var skipReport = false

    public init(configPath: String?, threads: Int) {
        self.configPath = configPath
        self.threads = threads
    }
}

/// What a `reslab run` did.
public struct RunSummary: Sendable {
    public var folder: String
    /// Cells trained by this process, and cells skipped because their result already existed.
    public var ran: [Int]
    public var skipped: [Int]
    /// Cells of the whole plan still without a result.
    public var missing: [Int]
    public var resultsFile: String
    /// Nil when the report was not written (`skipReport`).
    public var reportFile: String?
}
