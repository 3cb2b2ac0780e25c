import Foundation

/// Where and how a run ran, stored as environment.json and shown in the report.
public struct RunEnvironment: Codable, Sendable, Equatable {
    public var reslabVersion: String
    /// `git rev-parse HEAD` of the working directory's checkout, when there is one.
    public var gitCommit: String?
    /// The CPU model name from /proc/cpuinfo.
    public var cpu: String
    public var threads: Int
    /// ISO 8601, UTC.
    public var date: String
    public var host: String

    /// The version `reslab --version` prints.
    public static let version = "0.1.0"

    /// The current process's environment with `threads` worker threads.
    public static func current(threads: Int) -> RunEnvironment {
        RunEnvironment(reslabVersion: version, gitCommit: currentGitCommit(), cpu: ProcFile.value(of: "model name", in: "/proc/cpuinfo") ?? "unknown", threads: threads,
                       date: ISO8601DateFormatter().string(from: Date()),
                       host: ProcessInfo.processInfo.hostName)
    }

    /// `[(name, value)]` for tables.
    public var entries: [(String, String)] {
        [("reslab", reslabVersion), ("git commit", gitCommit ?? "none"), ("CPU", cpu),
         ("threads", String(threads)), ("date", date), ("host", host)]
    }
}

private func currentGitCommit() -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "rev-parse", "HEAD"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
