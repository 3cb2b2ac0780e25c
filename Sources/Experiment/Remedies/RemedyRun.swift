import Foundation
import Kernels

/// What `reslab remedy RUN` was asked to do.
public struct RemedyOptions: Sendable {
    public var runFolder: String
    /// `--at`: test sizes; default the run's `remedies.at`.
    public var at: [Int]?
    /// `--only`: remedies; default the run's `remedies.run` (all of them without a section).
    public var only: [RemedyKind]?
    /// `--data`: replaces the stored `dataset.folder`.
    public var dataOverride: String?
    public var threads: Int
    public var memoryBudget = 4 << 30
    /// Bytes the remedies may need at least (`MemoryEstimate` of the run with these remedies).
    public var memoryLimit = MemoryEstimate.defaultLimit
    public var skipReport = false

    public init(runFolder: String, threads: Int) {
        self.runFolder = runFolder
        self.threads = threads
    }
}

/// Applies remedies to every finished cell of a run folder (the ones without a result yet),
/// then rebuilds results.csv and the report. Refuses sizes or methods the run did not evaluate
/// (a remedy is always compared with the untreated model on the same images).
public func runRemedies(_ options: RemedyOptions, control: RunControl = RunControl(),
                        progress: @escaping (ProgressEvent) -> Void = { _ in }) throws -> RunSummary {
    Parallel.threadCount = options.threads
    let folder = RunFolder(path: options.runFolder)
    guard folder.exists else { throw ExperimentError.notARunFolder(options.runFolder) }
    let config = try loadExperiment(path: folder.resolvedConfigFile, dataOverride: options.dataOverride)
    var remedies = config.remedies ?? RemediesConfig()
    if let at = options.at { remedies.at = at }
    if let only = options.only { remedies.kinds = only }
    guard !remedies.at.isEmpty else {
        throw ExperimentError.remedy("The run \(folder.path) has no `remedies:` section naming test sizes; pass them with --at, e.g. --at 20,48.")
    }
    let problems = remedies.mismatches(config.evaluation)
    if let problem = problems.first {
        let option = problem.key == .at ? "--at" : "remedies.\(problem.key.stringValue)"
        throw ExperimentError.remedy("\(option): \(problem.message.replacingOccurrences(of: "add it to evaluation.resolutions", with: "pick a size the run tested").replacingOccurrences(of: "add them to evaluation.resolutions", with: "pick sizes the run tested"))")
    }
    var treated = config
    treated.remedies = remedies
    try MemoryEstimate.check(treated, limit: options.memoryLimit, scope: .remedies)
    let finished = try storedResults(folder).map(\.cell.id)
    guard !finished.isEmpty else {
        throw ExperimentError.remedy("The run \(folder.path) has no finished cell to treat yet; finish it first (`reslab run --resume \(folder.path)`).")
    }
    try applyRemedies(remedies, config: config, folder: folder, runner: nil, budget: options.memoryBudget,
                      threads: options.threads, control: control, progress: progress)
    try writeResultsTable(folder)
    let missing = Set(0..<config.cells.count).subtracting(folder.finishedCellIDs()).sorted()
    return RunSummary(folder: folder.path, ran: [], skipped: finished, missing: missing, resultsFile: folder.resultsFile,
                      reportFile: options.skipReport ? nil : try writeReport(folder))
}

/// Ids of the finished cells of `folder` still lacking a result of some remedy of `remedies`.
func cellsAwaitingRemedies(_ remedies: RemediesConfig, config: ExperimentConfig, folder: RunFolder) -> [Int] {
    let plan = config.cells, keys = remedies.keys(config.evaluation)
    return folder.finishedCellIDs().sorted().filter { id in
        // Imported models are tested as they are: no checkpoint to treat.
        id < plan.count && plan[id].model.isTrained && remedies.kinds.contains { remedy in
            keys.contains { !FileManager.default.fileExists(atPath: folder.remedyFile(plan[id], remedy, $0)) }
        }
    }
}

/// True when the configuration's `remedies:` still have work in `folder` (the run is not complete).
func remediesPending(_ config: ExperimentConfig, _ folder: RunFolder) -> Bool {
    config.remedies.map { !cellsAwaitingRemedies($0, config: config, folder: folder).isEmpty } ?? false
}

/// Runs `remedies` on every finished cell of `folder` that still lacks a remedy result, with
/// `runner`'s loaded data, or loading the data first when there is work and no runner.
func applyRemedies(_ remedies: RemediesConfig, config: ExperimentConfig, folder: RunFolder, runner: CellRunner?,
                   budget: Int, threads: Int, control: RunControl, progress: @escaping (ProgressEvent) -> Void) throws {
    let plan = config.cells
    let pending = cellsAwaitingRemedies(remedies, config: config, folder: folder)
    guard !pending.isEmpty else { return }
    let cells: CellRunner
    if let runner {
        cells = runner
    } else {
        let data = try loadData(config.dataset, budget: budget, threads: threads)
        let decodedBytes = data.train.residentBytes + data.test.residentBytes
        cells = CellRunner(config: config, pipeline: TensorPipeline(data: data, budget: max(0, budget - decodedBytes)),
                           folder: folder, control: control, progress: progress)
    }
    let remedyRunner = RemedyRunner(cells: cells, remedies: remedies)
    for id in pending {
        do { try remedyRunner.run(plan[id]) } catch ExperimentError.interrupted(let path) {
            folder.log("remedies of cell \(id) interrupted; rerun `reslab remedy` to continue")
            try writeResultsTable(folder)
            // From `reslab run` (a runner was given) the run's own remedies continue on
            // `--resume`; `reslab remedy --at/--only` continues only by rerunning it.
            throw runner == nil ? ExperimentError.interruptedRemedy(runFolder: path) : ExperimentError.interrupted(runFolder: path)
        }
        try writeResultsTable(folder)
    }
}
