import Foundation
import Testing
@testable import Experiment

/// Readers of a run folder as strict as its writers (issue #19).
struct RunFileReaderTests {
    /// Every name the writer can write comes back from the reader unchanged: commas, quotes,
    /// LF, CR and CRLF inside a class-folder name, and non-ASCII text.
    @Test func everyWrittenFieldRoundTrips() throws {
        let names = ["plain", "with,comma", "with \"quotes\"", "line\nbreak", "carriage\rreturn", "crlf\r\nname", "ünïcødé 猫", ""]
        let text = names.map { csvField($0) + ",1" }.joined(separator: "\n") + "\n"
        let records = try #require(parseCSV(text))
        #expect(records.map { $0[0] } == names)
        #expect(records.allSatisfy { $0.count == 2 && $0[1] == "1" })
        #expect(parseCSV("a,b\r\nc,d\r\n") == [["a", "b"], ["c", "d"]])
        #expect(parseCSV("a,\"open\nnever closed") == nil)
        #expect(parseCSV("a,b\"c") == nil)
    }

    func withPredictions(_ text: String, _ body: (String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "reslab-predictions-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        try body(path)
    }

    @Test func predictionsAreReadAndDamageIsNamed() throws {
        let header = "image,true_class,predicted_class,label,predicted,correct,p_label\n"
        try withPredictions(header + "\"a\nb.png\",a,b,0,1,0,0.25\nc.png,b,b,1,1,1,0.9\n") { (path: String) throws in
            #expect(try readPredictions(path, count: 2, classes: 2) == [1, 1])
            #expect(throws: ExperimentError.damagedRunFile(path: path, reason: "it has 2 rows, but the cell's result counts 3 test images")) {
                try readPredictions(path, count: 3, classes: 2)
            }
            #expect(throws: ExperimentError.damagedRunFile(path: path, reason: "row 2 does not hold seven fields with class indices below 1 in its label and predicted columns")) {
                try readPredictions(path, count: 2, classes: 1)
            }
        }
        try withPredictions(header + "a.png,a,x,0,x,0,0.5\n") { (path: String) throws in
            #expect(throws: ExperimentError.damagedRunFile(path: path, reason: "row 2 does not hold seven fields with class indices below 2 in its label and predicted columns")) {
                try readPredictions(path, count: 1, classes: 2)
            }
        }
        try withPredictions(String(header.prefix(20))) { (path: String) throws in
            #expect(throws: ExperimentError.damagedRunFile(path: path, reason: "its header is not image,true_class,predicted_class,label,predicted,correct,p_label")) {
                try readPredictions(path, count: 0, classes: 2)
            }
        }
        #expect(ExperimentError.damagedRunFile(path: "r/x.csv", reason: "it is short").description
                == "r/x.csv is damaged: it is short. Delete it and rerun with --resume to recompute it, or restore it from a copy.")
    }

    static let plan = [Cell(id: 0, model: ModelConfig(name: "gap", zoo: "gap-cnn"), trainResolution: 16, seed: 0),
                       Cell(id: 1, model: ModelConfig(name: "gap", zoo: "gap-cnn"), trainResolution: 16, seed: 1)]
    static let key = EvaluationKey(resolution: 16, method: .bilinear, antialias: true)

    func result(id: Int, top1: Double = 0.5, loss: Double = 0.7) -> CellResult {
        CellResult(cell: Self.plan[id], classNames: ["a", "b"], epochs: [EpochRecord(epoch: 1, loss: 0.7, seconds: 1)],
                   trainSeconds: 1, evaluateSeconds: 1,
                   evaluations: [EvaluationRecord(key: Self.key, top1: top1, top5: 1, loss: loss, count: 4, cannotRun: nil)])
    }

    func check(_ stored: CellResult, as id: Int) throws -> CellResult {
        try checkedResult(try JSONEncoder().encode(stored), path: "cells/x.json", id: id, plan: Self.plan, keys: [Self.key])
    }

    @Test func cellResultsAreCheckedAgainstThePlan() throws {
        // The stored cell keeps the model's name only (its layers are in config.resolved.yaml).
        let read = try check(result(id: 1), as: 1)
        #expect(read.cell.id == 1 && read.cell.model.name == "gap" && read.evaluations == result(id: 1).evaluations)
        #expect(throws: ExperimentError.damagedRunFile(path: "cells/x.json", reason: "it holds cell 0 (gap@16px seed 0), not the plan's cell 1")) {
            try check(result(id: 0), as: 1)
        }
        #expect(throws: ExperimentError.damagedRunFile(path: "cells/x.json", reason: "its r16-bilinear evaluation holds an accuracy outside 0...1, a negative count or a non-finite loss")) {
            try check(result(id: 0, top1: 7), as: 0)
        }
        #expect(throws: ExperimentError.damagedRunFile(path: "cells/x.json", reason: "it is not a cell result (truncated or not JSON)")) {
            try checkedResult(Data("{\"cell\": {".utf8), path: "cells/x.json", id: 0, plan: Self.plan, keys: [Self.key])
        }
    }

    /// Only the writer's exact names count: a stray `cell-1.json` or a copy does not add rows.
    @Test func strayCellFilesAreIgnored() throws {
        let folder = RunFolder(path: NSTemporaryDirectory() + "reslab-stray-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try FileManager.default.createDirectory(atPath: folder.cellsFolder, withIntermediateDirectories: true)
        for name in ["cell-0001.json", "cell-1.json", "cell-0001 copy.json", "cell-0001.json.bak", "cell--001.json", "cell-00001.json"] {
            try "{}".write(toFile: folder.cellsFolder + "/" + name, atomically: true, encoding: .utf8)
        }
        #expect(folder.finishedCellIDs() == [1])
    }

    /// Temporary files of a writer that no longer runs are removed; a live writer's stay.
    @Test func staleTemporariesAreRemoved() throws {
        let folder = RunFolder(path: NSTemporaryDirectory() + "reslab-temporaries-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        try FileManager.default.createDirectory(atPath: folder.path + "/predictions/cell-0000", withIntermediateDirectories: true)
        let dead = Process()
        dead.executableURL = URL(fileURLWithPath: "/bin/true")
        try dead.run()
        dead.waitUntilExit()
        let stale = folder.path + "/predictions/cell-0000/.r16.csv.\(hostName).\(dead.processIdentifier).tmp"
        let live = folder.path + "/.results.csv.\(hostName).\(getpid()).tmp"
        let foreign = folder.path + "/.results.csv.otherhost.\(dead.processIdentifier).tmp"
        for path in [stale, live, foreign] { _ = FileManager.default.createFile(atPath: path, contents: Data()) }
        folder.removeStaleTemporaries()
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: foreign))
    }
}
