import ArgumentParser
import Foundation

/// Runs `executable` with `arguments` (and `environment` added to ours), waits for it, and
/// returns its standard output; a non-zero exit throws a sentence naming the command.
func runCapturingOutput(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ValidationError("\(executable) \(arguments.joined(separator: " ")) failed with exit status \(process.terminationStatus); run it by hand to see why.")
    }
    return String(decoding: data, as: UTF8.self)
}
