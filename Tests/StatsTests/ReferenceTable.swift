import Foundation
import TestSupport

/// A CSV file from `scripts/reference/stats_reference.py`: a provenance line starting with `#`,
/// a header, then rows of numbers or space-separated lists of numbers.
struct ReferenceTable {
    let rows: [[String: String]]

    init(_ name: String) throws {
        let text = try String(contentsOfFile: Fixtures.path("stats/\(name)"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("\"#") }
        let header = lines[0].split(separator: ",").map(String.init)
        rows = lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(header, line.split(separator: ",").map(String.init)))
        }
    }
}

extension Dictionary where Key == String, Value == String {
    func double(_ key: String) -> Double { Double(self[key]!)! }
    func int(_ key: String) -> Int { Int(self[key]!)! }
    func doubles(_ key: String) -> [Double] { self[key]!.split(separator: " ").map { Double($0)! } }
}

/// |actual − expected| ≤ tolerance · max(1, |expected|): relative for large values, absolute near 0.
func close(_ actual: Double, _ expected: Double, _ tolerance: Double) -> Bool {
    if expected.isNaN { return actual.isNaN }
    return abs(actual - expected) <= tolerance * max(1, abs(expected))
}
