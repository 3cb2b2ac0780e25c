import Foundation
import Report
import Testing
@testable import Experiment

/// `reslab report --reference METHOD` rebuilds the report against that method, and refuses, with
/// the methods the run tested, one it did not test.
@Suite(.serialized)
struct ReportReferenceTests {
    @Test func aReferenceMethodTheRunDidNotTestIsRefused() throws {
        let run = try ResumeTests()
        defer { try? FileManager.default.removeItem(atPath: run.folder) }
        try run.run("done")
        let folder = run.folder + "/done"
        #expect(throws: ExperimentError.unknownReferenceMethod(name: .nearest, folder: folder, methods: [.bilinear])) {
            try rebuildReport(runFolder: folder, options: ReportOptions(referenceMethod: .nearest))
        }
        #expect(try rebuildReport(runFolder: folder, options: ReportOptions(referenceMethod: .bilinear)) == folder + "/report.html")
        #expect(FileManager.default.fileExists(atPath: folder + "/report.html"))
    }
}
