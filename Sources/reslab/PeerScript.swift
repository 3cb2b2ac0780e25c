import ArgumentParser
import Foundation

/// A peer benchmark under `scripts/peers/`, run with a given Python; it prints one JSON object
/// per line, decoded here as `Line`.
struct PeerScript {
    /// The script's file name in `scripts/peers/`, e.g. "pil_decode.py".
    var name: String
    var python: String

    /// The script's path, found from this source file (Sources/reslab/PeerScript.swift).
    var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../scripts/peers/" + name).standardized.path
    }

    /// Runs the script with `arguments` (and `environment` added to ours) and decodes each line
    /// of its standard output.
    func run<Line: Decodable>(_ arguments: [String], environment: [String: String] = [:], as _: Line.Type) throws -> [Line] {
        let output = try runCapturingOutput(python, [path] + arguments, environment: environment)
        return try output.split(separator: "\n").map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8))
        }
    }
}
