import Foundation
import Testing
import TestSupport
@testable import Report

/// The page for a small fixed run is pinned byte for byte in Fixtures/report/small.html. After
/// an intended change, regenerate it with `RESLAB_UPDATE_GOLDEN=1 swift test -c release --filter
/// GoldenTests`, open it in a browser and review the diff.
@Suite struct GoldenTests {
    static func smallData() throws -> ReportData {
        var data = try SimulatedRun(classNames: ["cat", "dog", "bird & fish"], images: 60, models: ["gap-cnn", "flatten-cnn"],
                                    resolutions: [8, 16, 32], seeds: [1], examplesPerCell: 1).data()
        // Fixed stand-in bytes: the golden page must not depend on the zlib version.
        for i in data.examples.indices { data.examples[i].png = Data([0x89, 0x50, 0x4E, 0x47, UInt8(i)]) }
        data.trainingCurves = ["gap-cnn", "flatten-cnn"].map { model in
            TrainingCurve(model: model, trainResolution: 32, seed: 1, epochs: (1...3).map {
                EpochPoint(epoch: $0, trainLoss: 1.1 - 0.25 * Double($0), heldOutTop1: 0.4 + 0.15 * Double($0), heldOutLoss: 1.2 - 0.2 * Double($0))
            })
        }
        return data
    }

    @Test func smallReportMatchesGolden() throws {
        let html = renderReport(try Self.smallData())
        let path = Fixtures.path("report/small.html")
        if ProcessInfo.processInfo.environment["RESLAB_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOfFile: path, encoding: .utf8)
        let firstDifference = zip(html.split(separator: "\n"), golden.split(separator: "\n")).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(html == golden, "differs from \(path) at line \((firstDifference?.offset ?? -1) + 1): \(String(firstDifference?.element.0 ?? ""))")
    }

    @Test func reportDataSurvivesJSON() throws {
        let data = try Self.smallData()
        let decoded = try JSONDecoder().decode(ReportData.self, from: JSONEncoder().encode(data))
        #expect(decoded == data)
    }
}
