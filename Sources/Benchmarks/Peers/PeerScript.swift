import Foundation

/// A peer benchmark under `scripts/peers/`, run with a Python found by `PeerPython`; it prints
/// one JSON object per line, decoded here as `Line`.
public struct PeerScript {
    /// The script's file name in `scripts/peers/`, e.g. "pil_decode.py".
    public var name: String
    public var python: PeerPython

    public init(name: String, python: PeerPython) {
        self.name = name
        self.python = python
    }

    /// The checkout's `scripts/peers/` folder, found from this source file
    /// (Sources/Benchmarks/Peers/PeerScript.swift): the peers run from the checkout that built reslab.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../scripts/peers").standardized

    public var path: String { Self.folder.appendingPathComponent(name).path }

    /// Starts the script with `arguments` and `--serve` (and `environment` added to ours), kept
    /// running to time one window whenever asked (`PeerWindows`).
    public func serve(_ arguments: [String], environment: [String: String] = [:]) throws -> PeerWindows {
        try checkExists()
        return try PeerWindows(executable: python.path, arguments: [path] + arguments + ["--serve"], environment: environment)
    }

    /// Runs the script with `arguments` (and `environment` added to ours) and decodes each line
    /// of its standard output.
    public func run<Line: Decodable>(_ arguments: [String], environment: [String: String] = [:], as _: Line.Type) throws -> [Line] {
        try checkExists()
        let output = try runCapturingOutput(python.path, [path] + arguments, environment: environment)
        return try output.split(separator: "\n").map { line in
            guard let decoded = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) else {
                throw BenchmarkError.unreadablePeerOutput(script: name, line: String(line))
            }
            return decoded
        }
    }

    func checkExists() throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BenchmarkError.badInput(file: path, reason: "the peer script is missing; run reslab from the checkout that built it")
        }
    }
}
