import Foundation

/// The files of one run, `runs/<experiment>-<timestamp>/`:
///
///     experiment.yaml          the experiment file as given
///     config.resolved.yaml     every field with its default filled in (what the run used)
///     environment.json         reslab version, git commit, CPU, threads, date
///     data.json                class counts, skipped files, test labels, example images
///     nyquist.json             the test images' energy above each test size's Nyquist limit
///     cells/cell-0003.json     one result per finished cell (written last: its presence = done)
///     predictions/cell-0003/r16-bilinear.csv   per-image predictions of each evaluation
///     checkpoints/cell-0003.ckpt               the trained model of each cell
///     checkpoints/cell-0003.state              a cell's training state while it trains (removed once done)
///     log.txt                  one line per event, appended by every process
///     results.csv              the tidy table, rebuilt from cells/ after each cell
///     report.html              rebuilt from the stored results
///     summary.json             peak, drop points and findings, written with the report
///
/// Every file but log.txt is written to a temporary name and renamed into place, so a killed
/// process never leaves a partial file and processes running different cells never collide.
/// A killed cell continues from its training state (the last finished epoch, or the step at which
/// Ctrl-C stopped it).
public struct RunFolder: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public var experimentFile: String { path + "/experiment.yaml" }
    public var resolvedConfigFile: String { path + "/config.resolved.yaml" }
    /// Peak, drop points and findings as JSON (`ReportSummary`), written with the report.
    public var summaryFile: String { path + "/summary.json" }
    public var environmentFile: String { path + "/environment.json" }
    public var logFile: String { path + "/log.txt" }
    public var resultsFile: String { path + "/results.csv" }
    public var reportFile: String { path + "/report.html" }
    /// Counts, skipped files, test labels and example images, written once per run (`RunData`).
    public var dataFile: String { path + "/data.json" }
    /// The Nyquist budget of the test images, written once per run (`NyquistBudget`).
    public var nyquistFile: String { path + "/nyquist.json" }
    public var cellsFolder: String { path + "/cells" }

    public func resultFile(_ cell: Cell) -> String { resultFile(id: cell.id) }
    public func resultFile(id: Int) -> String { cellsFolder + "/\(Cell.stem(id)).json" }
    public func checkpointFile(_ cell: Cell) -> String { path + "/checkpoints/\(cell.stem).ckpt" }
    /// Weights, optimizer state and progress of a cell still training (`TrainingProgress`).
    public func trainingStateFile(_ cell: Cell) -> String { path + "/checkpoints/\(cell.stem).state" }
    public func predictionsFile(_ cell: Cell, _ key: EvaluationKey) -> String {
        path + "/predictions/\(cell.stem)/\(key.stem).csv"
    }

    /// True when the folder holds a run (its experiment file).
    public var exists: Bool { FileManager.default.fileExists(atPath: experimentFile) }

    /// Ids of the cells whose result file exists. Only the exact names the writer uses count
    /// (`cell-0003.json`): a stray `cell-3.json` or `cell-0003 copy.json` is ignored.
    public func finishedCellIDs() -> Set<Int> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cellsFolder)) ?? []
        return Set(names.compactMap { name in
            guard name.hasPrefix("cell-"), name.hasSuffix(".json"), let id = Int(name.dropFirst(5).dropLast(5)),
                  id >= 0, name == Cell.stem(id) + ".json" else { return nil }
            return id
        })
    }

    /// Appends one timestamped line to log.txt (O_APPEND: lines of concurrent processes interleave whole).
    public func log(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let data = Array("\(stamp) \(line)\n".utf8)
        let fd = open(logFile, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        _ = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

/// Writes `data` to `path` atomically: a temporary file in the same folder (named after this
/// host and process, unique among Slurm tasks on nodes sharing the file system), flushed, then
/// renamed over `path`. Creates the folder when needed.
public func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
        throw ExperimentError.io(path: path, reason: fileErrorReason(error))
    }
    let temporary = folder + "/.\(url.lastPathComponent).\(hostName).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw ExperimentError.io(path: path, reason: String(cString: strerror(errno))) }
    // errno is read right after the call that failed (unlink would overwrite it: a full disk was
    // once reported as "No such file or directory"); a short write is retried until it fails.
    var failure: Int32 = 0
    data.withUnsafeBytes { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 { if errno == EINTR { continue }; failure = errno; return }
            offset += written
        }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && rename(temporary, path) != 0 { failure = errno }
    if failure != 0 {
        unlink(temporary)
        throw ExperimentError.io(path: path, reason: String(cString: strerror(failure)))
    }
}

/// The reason of a Foundation file error in words: the POSIX error underneath (`No space left
/// on device`) rather than `The operation could not be completed (NSCocoaErrorDomain Code=642)`.
func fileErrorReason(_ error: Error) -> String {
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return String(cString: strerror(Int32(underlying.code)))
    }
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    switch ns.code {
    case NSFileWriteOutOfSpaceError: return "no space left on the device"
    case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "permission denied"
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or folder"
    case NSFileWriteFileExistsError: return "a file is in the way of a folder on that path"
    default: return "the file system refused it (\(ns.domain) error \(ns.code))"
    }
}

/// Writes `text` atomically (see `writeAtomically(_:to:)`).
public func writeAtomically(_ text: String, to path: String) throws {
    try writeAtomically(Data(text.utf8), to: path)
}

/// This machine's host name (`gethostname`), or `host` when it has none.
let hostName: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0, buffer[0] != 0 else { return "host" }
    return String(cString: buffer).replacingOccurrences(of: "/", with: "_")
}()
