import Foundation

/// Runs `executable` with `arguments` (and `environment` added to ours), waits for it, and
/// returns its standard output. A non-zero exit throws `BenchmarkError.commandFailed` with the
/// last line the command wrote to standard error, a death by signal `BenchmarkError.commandKilled`;
/// either names the command with the environment it was given, so that it can be run by hand.
func runCapturingOutput(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let result = try runCapturing(executable, arguments, environment: environment)
    let command = commandLine(executable, arguments, environment: environment)
    if let signal = result.signal { throw BenchmarkError.commandKilled(command: command, signal: signal) }
    guard result.status == 0 else {
        throw BenchmarkError.commandFailed(command: command, status: result.status, lastError: result.lastErrorLine)
    }
    return result.output
}

/// The exit status (or the signal that killed it), standard output and last standard-error line
/// of a finished command.
struct CapturedRun {
    /// The exit status; −1 when a signal ended the command.
    var status: Int32
    /// The signal that ended the command, if one did.
    var signal: Int32?
    var output: String
    var lastErrorLine: String
}

/// Runs `executable` to completion; standard error goes to a temporary file so that neither
/// pipe can fill up and stall the child.
func runCapturing(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CapturedRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    let errorFile = try StandardErrorFile(process)
    defer { errorFile.remove() }
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let last = errorFile.lastLine
    let killed = process.terminationReason == .uncaughtSignal
    return CapturedRun(status: killed ? -1 : process.terminationStatus, signal: killed ? process.terminationStatus : nil,
                       output: String(decoding: data, as: UTF8.self), lastErrorLine: last)
}

/// `executable arguments` as a user would type it, the added environment first ("A=1 python x.py").
func commandLine(_ executable: String, _ arguments: [String], environment: [String: String]) -> String {
    (environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + [executable] + arguments).joined(separator: " ")
}

/// A temporary file that a child's standard error goes to, so that no pipe can fill up and stall
/// the child; its last line is what a failure reports.
struct StandardErrorFile {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("reslab-child-\(UUID().uuidString).err")

    /// Creates the file and makes it `process`'s standard error (before `process.run()`).
    init(_ process: Process) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: url)
    }

    /// The last non-empty line written, trimmed ("" when there is none).
    var lastLine: String {
        let errors = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return errors.split(separator: "\n").last.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
