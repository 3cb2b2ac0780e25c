import Foundation
import Kernels
import Yams

/// Runs an experiment: picks or creates the run folder, trains and evaluates every selected cell
/// that has no result yet, and rebuilds results.csv after each cell and report.html at the end.
/// Rerunning the same command continues the newest unfinished run of the same configuration.
public func runExperiment(_ options: RunOptions, control: RunControl = RunControl(),
                          progress: @escaping (ProgressEvent) -> Void = { _ in }) throws -> RunSummary {
    Parallel.threadCount = options.threads
    let (config, experimentText) = try resolveConfig(options)
    try MemoryEstimate.check(config, limit: options.memoryLimit)
    let folder = try chooseRunFolder(options, config: config)
    let created = !FileManager.default.fileExists(atPath: folder.path)
    folder.removeStaleTemporaries()
    try removingFolderOnFailure(folder, created: created) {
        try prepare(folder, config: config, experimentText: experimentText, threads: options.threads, overrides: options.overrides)
    }

    let plan = config.cells
    let selected = try selectCells(options.cells, count: plan.count)
    let finished = folder.finishedCellIDs()
    let skipped = selected.filter { finished.contains($0) }
    let toRun = selected.filter { !finished.contains($0) }
    progress(.runStarted(folder: folder.path, cells: plan.count, toRun: toRun.count))
    for id in skipped { progress(.cellSkipped(plan[id])) }

    var ran: [Int] = []
    var runner: CellRunner?
    if !toRun.isEmpty {
        let data = try removingFolderOnFailure(folder, created: created) { () throws -> LoadedData in
            let loadStart = Date()
            let data = try loadData(config.dataset, budget: options.memoryBudget, threads: options.threads)
            let loadSeconds = Date().timeIntervalSince(loadStart)
            progress(.dataLoaded(train: data.train.count, test: data.test.count, classes: data.classNames.count,
                                 skipped: data.skipped.count, seconds: loadSeconds))
            try checkImportedModels(config, classNames: data.classNames)
            try storeRunData(data, config: config, decodeSeconds: loadSeconds, in: folder)
            try storeNyquistBudget(data, config: config, in: folder)
            return data
        }
        let decodedBytes = data.train.residentBytes + data.test.residentBytes
        let pipeline = TensorPipeline(data: data, budget: max(0, options.memoryBudget - decodedBytes))
        let cells = CellRunner(config: config, pipeline: pipeline, folder: folder, control: control, progress: progress)
        runner = cells
        for (position, id) in toRun.enumerated() {
            let cell = plan[id]
            progress(.cellStarted(cell, position: position + 1, of: toRun.count))
            folder.log("cell \(id) (\(cell.label)) started, pid \(getpid())")
            let start = Date()
            do {
                _ = try cells.run(cell)
            } catch ExperimentError.interrupted(let path) {
                folder.log("cell \(id) interrupted; it continues from its training state on resume")
                try writeResultsTable(folder)
                throw ExperimentError.interrupted(runFolder: path)
            }
            let seconds = Date().timeIntervalSince(start)
            folder.log("cell \(id) (\(cell.label)) finished in \(String(format: "%.1f", seconds)) s")
            try writeResultsTable(folder)
            ran.append(id)
            progress(.cellFinished(cell, seconds: seconds))
        }
    }
    if let remedies = config.remedies, options.cells == nil {
        try applyRemedies(remedies, config: config, folder: folder, runner: runner, budget: options.memoryBudget,
                          threads: options.threads, control: control, progress: progress)
    }
    try writeResultsTable(folder)
    let report = options.skipReport ? nil : try writeReport(folder)
    let missing = Set(0..<plan.count).subtracting(folder.finishedCellIDs()).sorted()
    return RunSummary(folder: folder.path, ran: ran, skipped: skipped, missing: missing,
                      resultsFile: folder.resultsFile, reportFile: report)
}

/// The configuration and the experiment file's text: from the file, or from the run folder on resume.
func resolveConfig(_ options: RunOptions) throws -> (ExperimentConfig, String) {
    if let resume = options.resume {
        let folder = RunFolder(path: resume)
        guard folder.exists else { throw ExperimentError.notARunFolder(resume) }
        let text = (try? String(contentsOfFile: folder.experimentFile, encoding: .utf8)) ?? ""
        let config = try loadExperiment(path: folder.resolvedConfigFile, dataOverride: options.dataOverride)
        return (config, text)
    }
    guard let path = options.configPath else {
        throw ExperimentError.unreadableConfig(path: "(none)", reason: "give an experiment file or --resume RUN")
    }
    let config = try loadExperiment(path: path, dataOverride: options.dataOverride, overrides: options.overrides)
    return (config, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
}

/// `--resume`/`--out` as given; otherwise the newest `runs/<name>-*` holding the same resolved
/// configuration and not yet complete (unless `--fresh`), else a new timestamped folder.
func chooseRunFolder(_ options: RunOptions, config: ExperimentConfig) throws -> RunFolder {
    if let path = options.resume ?? options.out {
        let folder = RunFolder(path: path)
        if options.resume == nil { try folder.checkClaimable(option: "--out") }
        if folder.exists, try storedConfig(folder) != config { throw ExperimentError.runFolderMismatch(folder: path) }
        return folder
    }
    let prefix = config.name + "-"
    if !options.fresh {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: options.runsRoot)) ?? []
        for name in names.filter({ $0.hasPrefix(prefix) }).sorted().reversed() {
            let folder = RunFolder(path: options.runsRoot + "/" + name)
            guard folder.exists, (try? storedConfig(folder)) == config else { continue }
            if folder.finishedCellIDs().count < config.cells.count || remediesPending(config, folder) { return folder }
            break
        }
    }
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return RunFolder(path: options.runsRoot + "/" + prefix + formatter.string(from: Date()))
}

/// The resolved configuration stored in `folder`.
func storedConfig(_ folder: RunFolder) throws -> ExperimentConfig {
    try loadExperiment(path: folder.resolvedConfigFile)
}

/// Creates the folder and writes the experiment file, resolved configuration (headed by the
/// `--set` overrides applied to the file, as comments) and environment (each atomically, so
/// concurrent processes writing the same content do not collide).
func prepare(_ folder: RunFolder, config: ExperimentConfig, experimentText: String, threads: Int,
             overrides: [ConfigOverride] = []) throws {
    try FileManager.default.createDirectory(atPath: folder.cellsFolder, withIntermediateDirectories: true)
    if !FileManager.default.fileExists(atPath: folder.resolvedConfigFile) {
        let header = overrides.isEmpty ? ""
            : "# experiment.yaml with these overrides applied:\n" + overrides.map { "#   --set \($0.text)\n" }.joined()
        try writeAtomically(header + YAMLEncoder().encode(config), to: folder.resolvedConfigFile)
        try writeAtomically(experimentText, to: folder.experimentFile)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(encoder.encode(RunEnvironment.current(threads: threads)), to: folder.environmentFile)
    }
}

/// The selected ids, checked against the plan; all ids when `ids` is nil.
func selectCells(_ ids: [Int]?, count: Int) throws -> [Int] {
    guard let ids else { return Array(0..<count) }
    let outside = ids.filter { $0 >= count }
    if !outside.isEmpty { throw ExperimentError.unknownCells(ids: outside, count: count) }
    return ids
}
