import Resample

/// One problem in an experiment file: where it is and what is wrong.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in (as the user named it), or an option such as `--data`.
    public var file: String
    /// 1-based line, or nil when the problem has no place in the file (e.g. a missing key of the root).
    public var line: Int?
    /// The dotted field path, e.g. `training.optimizer.lr` or `models[1].layers`.
    public var field: String
    /// A sentence saying what is wrong and what to do.
    public var message: String

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }
}

/// Everything that stops an experiment, each case a sentence naming the file or field and the fix.
public enum ExperimentError: Error, Equatable, CustomStringConvertible {
    /// The experiment file could not be read.
    case unreadableConfig(path: String, reason: String)
    /// The file is not valid YAML (the parser's message, with its line).
    case yamlSyntax(path: String, line: Int?, message: String)
    /// The file parsed but has problems; all of them, in file order.
    case invalidConfig(file: String, problems: [ConfigProblem])
    /// The dataset could not be opened (missing folder, empty class, no images), in its module's words.
    case dataset(String)
    /// A run folder exists but holds another experiment's configuration.
    case runFolderMismatch(folder: String)
    /// `--resume` named a folder that is not a run folder.
    case notARunFolder(String)
    /// `--cell`/`--cells` named an id outside the plan.
    case unknownCells(ids: [Int], count: Int)
    /// `--cells` text that is not a list of ids and ranges.
    case badCellList(String)
    /// Ctrl-C: the current step finished; finished cells and the current cell's training state are saved.
    case interrupted(runFolder: String)
    /// Ctrl-C during `reslab remedy`: the remedy results stored so far and the current
    /// retraining's state are saved; only the same command (its --at and --only) continues them.
    case interruptedRemedy(runFolder: String)
    /// `reslab compare` cannot compare the runs it was given (why, and what to do).
    case badCompare(String)
    /// A `--set PATH=VALUE` that cannot be applied to the file (its text, and why).
    case badOverride(String, reason: String)
    /// A file of the run folder could not be written or read back.
    case io(path: String, reason: String)
    /// A model could not be built or trained, in the engine's words.
    case model(name: String, reason: String)
    /// `reslab report --reference` named a resize method the run did not test.
    case unknownReferenceMethod(name: Filter, folder: String, methods: [Filter])
    /// `reslab remedy` asked for something the run cannot give (the sentence says what and why).
    case remedy(String)
    /// `--out` named a file, or a folder holding files that reslab did not write (`entry`, one of them).
    case notOurFolder(path: String, option: String, entry: String?)
    /// Training diverged: the loss of `step` was not finite, or (step nil) the epoch's mean loss
    /// was above `DivergenceGuard.lossLimit`.
    case diverged(cell: String, epoch: Int, step: Int?, loss: Double, learningRate: Double)
    /// The run would need more memory than `--memory-gib` allows (`need`, `limit` in bytes).
    case tooMuchMemory(what: String, need: Int, limit: Int, fix: String)
    /// A stored file of a run folder is damaged (truncated, edited, or from another version).
    case damagedRunFile(path: String, reason: String)

    /// True for a stop the user asked for (`.interrupted`, `.interruptedRemedy`): exit status 130.
    public var isInterruption: Bool {
        switch self {
        case .interrupted, .interruptedRemedy: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case let .unreadableConfig(path, reason):
            return "Cannot read the experiment file \(path): \(reason). Check the path (experiments/*.yaml lists the shipped ones)."
        case let .yamlSyntax(path, line, message):
            return "\(path)\(line.map { ":\($0)" } ?? ""): not valid YAML: \(message)."
        case let .invalidConfig(file, problems):
            let noun = problems.count == 1 ? "problem" : "problems"
            return "\(file) has \(problems.count) \(noun):\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        case let .dataset(message):
            return message
        case let .runFolderMismatch(folder):
            return "\(folder) holds a run of a different experiment configuration; pass a new --out folder, or rerun with the configuration stored in \(folder)/experiment.yaml."
        case let .notARunFolder(folder):
            return "\(folder) is not a reslab run folder (no experiment.yaml inside); pass the folder `reslab run` printed."
        case let .unknownCells(ids, count):
            let list = ids.map(String.init).joined(separator: ", ")
            return "Cell \(list) is not in the plan, whose cells are 0-\(count - 1); see `reslab run CONFIG --plan`."
        case let .badCellList(text):
            return "`\(text)` is not a cell list; write ids and ranges such as 3,7-9."
        case let .interrupted(folder):
            return "Interrupted: finished cells and the current cell's training state are saved in \(folder). Rerun the same command, or `reslab run --resume \(folder)`, to continue."
        case let .interruptedRemedy(folder):
            return "Interrupted: the remedy results finished so far and the current retraining's state are saved in \(folder). Rerun the same `reslab remedy \(folder)` command (with the same --at and --only) to continue."
        case let .badCompare(reason):
            return "Cannot compare: \(reason)."
        case let .badOverride(text, reason):
            return "--set \(text): \(reason)."
        case let .io(path, reason):
            return "Cannot write or read \(path): \(reason)."
        case let .model(name, reason):
            return "Model \(name): \(reason)"
        case let .notOurFolder(path, option, entry):
            let what = entry.map { "holds \($0), which reslab did not write" } ?? "is not a folder"
            return "\(option) \(path) \(what); a run folder is rewritten in place, so pass a new or empty folder, or a reslab run folder."
        case let .diverged(cell, epoch, step, loss, learningRate):
            let place = step.map { "epoch \(epoch), step \($0): the loss is" } ?? "epoch \(epoch): its mean loss is"
            return "Training of \(cell) diverged in \(place) \(loss.formatted6) at learning rate \(learningRate.formatted6). Lower training.optimizer.lr (e.g. by 10×), add warm-up (training.schedule.warmup_epochs: 1) or batch normalisation, then run again with --fresh (or a new --out)."
        case let .tooMuchMemory(what, need, limit, fix):
            return "\(what) needs about \(gibText(need)) of memory, more than the \(gibText(limit)) allowed (--memory-gib); \(fix)"
        case let .damagedRunFile(path, reason):
            return "\(path) is damaged: \(reason). Delete it and rerun with --resume to recompute it, or restore it from a copy."
        case let .unknownReferenceMethod(name, folder, methods):
            return "The run \(folder) tested no resize method \"\(name)\"; pass one it tested: \(methods.map(\.rawValue).joined(separator: ", "))."
        case let .remedy(message):
            return message
        }
    }
}

/// Bytes as GiB with two decimals: `1.50 GiB`.
func gibText(_ bytes: Int) -> String {
    String(format: "%.2f GiB", Double(bytes) / Double(1 << 30))
}

extension Double {
    /// Six significant digits, for learning rates and losses in messages.
    var formatted6: String { String(format: "%.6g", self) }
}
