import ArgumentParser
import Dispatch
import Experiment
import Foundation

/// `reslab run CONFIG`: trains every cell of an experiment, tests each trained model at every
/// resolution and resize method, and writes the run folder and its report.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment file: train its models, test them at many resolutions, write the report.",
        discussion: """
            Cells (model × train resolution × seed) run in id order; each finished cell is saved at once. \
            Rerunning the same command continues the newest unfinished run of the same configuration, \
            and an interrupted cell continues from its training state (saved after every epoch); \
            Ctrl-C stops after the current step. Zoo models: \(ModelZoo.names.joined(separator: ", ")).
            """)

    @Argument(help: "The experiment file (e.g. experiments/quickstart.yaml); not needed with --resume.")
    var config: String?

    @Option(help: "A class-per-folder dataset that replaces the file's dataset.folder.")
    var data: String?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Change one setting of the experiment file, e.g. training.epochs=2 or 'evaluation.methods=[nearest, bilinear]' (repeatable).",
        discussion: "PATH=VALUE: keys joined by dots, [i] for a list entry (models[0].rounding); VALUE is YAML. Checked like the file; the run folder's config.resolved.yaml records the result and the overrides.",
        valueName: "path=value"))
    var overrides: [String] = []

    @Option(help: "The run folder to create or continue (several processes may share it, one cell each).")
    var out: String?

    @Option(help: "Continue this run folder with the configuration stored in it.")
    var resume: String?

    @Option(parsing: .unconditional, help: "Run only this cell id (see --plan).")
    var cell: Int?

    @Option(help: "Run only these cells, e.g. 3,7-9.")
    var cells: String?

    @Flag(help: "Run only the cells of --out/--resume that have no result yet (the default behaviour, stated).")
    var missing = false

    @Flag(help: "List the cells with their ids and status, and exit.")
    var plan = false

    @Flag(help: "Print the plan: cells, images, FLOPs and an estimated time; train nothing.")
    var dryRun = false

    @Flag(help: "Start a new run folder even if an unfinished run of this configuration exists.")
    var fresh = false

    @OptionGroup var workers: ThreadsOption

    @OptionGroup var memory: MemoryOption
    @OptionGroup var limits: InputLimitOptions

    @Flag(help: "Print only the final lines.")
    var quiet = false

    @Flag(help: "Write results.csv but not report.html (Slurm array tasks: the report job writes it once).")
    var noReport = false

    func validate() throws {
        if config == nil && resume == nil { throw ValidationError("Give an experiment file, or --resume RUN to continue a run.") }
        if cell != nil && cells != nil { throw ValidationError("Use --cell or --cells, not both.") }
        if missing && out == nil && resume == nil { throw ValidationError("--missing needs --out RUN or --resume RUN: the run folder to complete.") }
        if resume != nil && !overrides.isEmpty {
            throw ValidationError("--set changes the experiment, but --resume continues a run with the configuration stored in it; drop --set, or start a run from the experiment file.")
        }
    }

    func run() throws {
        limits.apply()
        var options = RunOptions(configPath: config, threads: workers.threads)
        options.dataOverride = data
        options.overrides = try overrides.map(ConfigOverride.init(parsing:))
        options.out = out
        options.resume = resume
        options.fresh = fresh
        options.skipReport = noReport
        if let bytes = memory.bytes {
            options.memoryBudget = bytes
            options.memoryLimit = bytes
        }
        if let cell { options.cells = [cell] }
        if let cells { options.cells = try parseCellList(cells) }
        if plan || dryRun {
            let summary = try planExperiment(options, measure: !plan)
            print(plan ? summary.cellTable : summary.dryRunText)
            return
        }
        let summary = try runWithProgress(quiet: quiet) { control, progress in
            try runExperiment(options, control: control, progress: progress)
        }
        print("Results: \(summary.resultsFile)")
        if let report = summary.reportFile { print("Report: \(report)") }
        if !summary.missing.isEmpty {
            print("\(summary.missing.count) cells have no result yet; run again with --out \(summary.folder) --missing to finish them.")
        }
    }
}

/// Runs `body` with Ctrl-C (and SIGTERM, which Slurm sends at a time limit) turned into a stop
/// request, and progress printed to standard error. A second Ctrl-C quits at once. The signals'
/// previous dispositions are restored afterwards: an ignored disposition is inherited by every
/// process started later (a benchmark's busy process, a test's child), which then would not end
/// on SIGTERM.
func runWithProgress<T>(quiet: Bool, _ body: (RunControl, @escaping (ProgressEvent) -> Void) throws -> T) throws -> T {
    let control = RunControl()
    var sources: [DispatchSourceSignal] = []
    var previous: [(Int32, __sighandler_t?)] = []
    for number in [SIGINT, SIGTERM] {
        previous.append((number, signal(number, SIG_IGN)))
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler {
            if control.stopRequested { _exit(130) }
            control.requestStop()
            FileHandle.standardError.write(Data("\nStopping after the current step (Ctrl-C again quits at once)…\n".utf8))
            // A phase that does not poll the stop request (reading a dataset, a long evaluation)
            // must not make the signal ineffective: quit after a grace period. Every run file is
            // written atomically, so quitting loses at most the work since the last saved state.
            DispatchQueue.global().asyncAfter(deadline: .now() + stopGraceSeconds) {
                FileHandle.standardError.write(Data("Did not stop within \(Int(stopGraceSeconds)) s; quitting (finished cells are saved).\n".utf8))
                _exit(130)
            }
        }
        source.resume()
        sources.append(source)
    }
    defer {
        sources.forEach { $0.cancel() }
        for (number, handler) in previous { signal(number, handler) }
    }
    let printer = LockedPrinter(ProgressPrinter(terminal: isatty(STDERR_FILENO) == 1), quiet: quiet)
    do {
        return try body(control, printer.print)
    } catch let error as ExperimentError {
        if error.isInterruption {
            FileHandle.standardError.write(Data("\n\(error)\n".utf8))
            throw ExitCode(130)
        }
        throw error
    }
}

/// Seconds between a stop request (Ctrl-C, SIGTERM) and quitting when the run has not stopped by itself.
let stopGraceSeconds = 5.0

/// Prints rendered progress to standard error from any thread.
final class LockedPrinter: @unchecked Sendable {
    private var printer: ProgressPrinter
    private let quiet: Bool
    private let lock = NSLock()

    init(_ printer: ProgressPrinter, quiet: Bool) {
        self.printer = printer
        self.quiet = quiet
    }

    func print(_ event: ProgressEvent) {
        guard !quiet else { return }
        lock.withLock {
            guard let text = printer.render(event) else { return }
            let line = text.hasPrefix("\r") && !text.hasSuffix("\n") && printer.terminal && isStep(event) ? text : text + "\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    private func isStep(_ event: ProgressEvent) -> Bool {
        if case .step = event { return true }
        return false
    }
}
