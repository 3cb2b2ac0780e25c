import Foundation

/// Runs the built `reslab` executable, as a user would, from end-to-end tests.
public enum ReslabBinary {
    /// `reslab` beside the test bundle (both live in `.build/<triple>/<configuration>/`).
    public static var path: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        // On Linux the test binary sits at `<configuration>/reslabPackageTests.xctest`.
        while !FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("reslab").path),
              folder.pathComponents.count > 1 {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("reslab").path
    }

    /// What a finished `reslab` invocation printed and returned.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Starts `reslab arguments…` in `directory` with output going to files, and `environment`
    /// added to this process's; returns the running process.
    public static func start(_ arguments: [String], in directory: String,
                             environment: [String: String] = [:]) throws -> (Process, stdout: URL, stderr: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = URL(fileURLWithPath: directory).appendingPathComponent(".stdout-\(UUID().uuidString)")
        let err = URL(fileURLWithPath: directory).appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return (process, out, err)
    }

    /// Runs `reslab arguments…` in `directory` to completion.
    public static func run(_ arguments: [String], in directory: String) throws -> Outcome {
        let (process, out, err) = try start(arguments, in: directory)
        process.waitUntilExit()
        return outcome(process, out, err)
    }

    /// The status and output of a finished process from `start`.
    public static func outcome(_ process: Process, _ out: URL, _ err: URL) -> Outcome {
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let text = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return Outcome(status: process.terminationStatus, stdout: text(out), stderr: text(err))
    }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "reslab-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
