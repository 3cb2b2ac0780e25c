import Foundation
import Testing
import TestSupport
@testable import Experiment

/// A small sweep through a real one-node Slurm cluster (started and stopped by each test): the
/// merged results equal a plain local run, and a task killed mid-cell is completed by `--missing`.
/// Skips with a message where Slurm cannot be installed or run (not root, no apt-get).
@Suite(.serialized) struct SlurmClusterTests {
    /// Three cells (one model × one train resolution × seeds 0-2), each about a second long: long
    /// enough to kill one mid-cell, short enough for a test.
    static let config = """
        name: slurm-tiny
        dataset:
          generated: {size: 16, train_per_class: 400, test_per_class: 16}
        models:
          - zoo: gap-cnn
        training:
          epochs: 5
          batch: 16
          resolutions: [16]
        evaluation:
          resolutions: [8, 12, 16]
          methods: [nearest, bilinear]
        seeds: [0, 1, 2]

        """

    /// A fresh folder holding `tiny.yaml`.
    static func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slurm-e2e-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try config.write(toFile: folder + "/tiny.yaml", atomically: true, encoding: .utf8)
        return folder
    }

    /// `results.csv` of a plain local one-thread run of the config, computed once for both tests.
    static let localResults: Result<String, Error> = Result {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try reslab(["run", folder + "/tiny.yaml", "--out", folder + "/local", "--threads", "1", "--quiet"])
        return try String(contentsOfFile: folder + "/local/results.csv", encoding: .utf8)
    }

    /// Runs reslab and records an issue (with what it printed) when it fails.
    @discardableResult
    static func reslab(_ arguments: [String], environment: [String: String] = [:]) throws -> ProgramOutput {
        let finished = try runProcess(ReslabBinary.path, arguments, environment: environment)
        if finished.status != 0 {
            Issue.record("reslab \(arguments.joined(separator: " ")) failed (\(finished.status)):\n\(finished.output)\n\(finished.errors)")
        }
        return finished
    }

    /// Submits the sweep with `reslab slurm --submit` and returns the array and report job ids.
    static func submit(_ folder: String, cluster: TestCluster) throws -> (array: String, report: String)? {
        let submitted = try reslab(["slurm", folder + "/tiny.yaml", "--out", folder + "/cluster",
                                    "--cpus-per-task", "1", "--submit"], environment: cluster.environment)
        guard let array = submitted.output.firstMatch(of: #/array job (\d+)/#)?.1,
              let report = submitted.output.firstMatch(of: #/report job (\d+)/#)?.1 else {
            Issue.record("reslab slurm --submit printed no job ids:\n\(submitted.output)")
            return nil
        }
        return (String(array), String(report))
    }

    @Test func sweepOnSlurmEqualsALocalRun() throws {
        let (started, skip) = try TestCluster.start()
        guard let cluster = started else { if let skip { Fixtures.skip(skip) }; return }
        defer { cluster.stop() }
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        guard let jobs = try Self.submit(folder, cluster: cluster),
              try cluster.waitForJobs([jobs.array, jobs.report], seconds: 90) else { return }
        let states = try cluster.client("scontrol", ["show", "job", jobs.array]).output
            .matches(of: #/JobState=(\w+)/#).map { String($0.1) }
        #expect(states == ["COMPLETED", "COMPLETED", "COMPLETED"])
        let merged = try String(contentsOfFile: folder + "/cluster/results.csv", encoding: .utf8)
        #expect(merged == (try Self.localResults.get()))
        #expect(FileManager.default.fileExists(atPath: folder + "/cluster/report.html"))
        let taskLog = try String(contentsOfFile: folder + "/cluster/logs/cell-2.job\(jobs.array).out", encoding: .utf8)
        #expect(taskLog.contains("Results: ") && !taskLog.contains("Report: "), "an array task wrote the report:\n\(taskLog)")
    }

    @Test func aTaskKilledMidCellIsCompletedByMissing() throws {
        let (started, skip) = try TestCluster.start()
        guard let cluster = started else { if let skip { Fixtures.skip(skip) }; return }
        defer { cluster.stop() }
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = folder + "/cluster"

        guard let jobs = try Self.submit(folder, cluster: cluster) else { return }
        // The runner logs "cell 1 (…) started, pid N": SIGKILL that process, leaving it no time to tidy up.
        var victim: Int32?
        guard try cluster.wait(seconds: 60, every: 0.01, for: "cell 1 to start", until: {
            let log = (try? String(contentsOfFile: run + "/log.txt", encoding: .utf8)) ?? ""
            victim = log.firstMatch(of: #/cell 1 \(.*\) started, pid (\d+)/#).flatMap { Int32($0.1) }
            return victim != nil
        }) else { return }
        kill(victim!, SIGKILL)
        guard try cluster.waitForJobs([jobs.array, jobs.report], seconds: 90) else { return }

        let cells = try FileManager.default.contentsOfDirectory(atPath: run + "/cells").filter { $0.hasSuffix(".json") }
        #expect(cells.sorted() == ["cell-0000.json", "cell-0002.json"],
                "cell 1 has a result: either the kill left one behind, or the cell finished before the kill landed")
        #expect(FileManager.default.fileExists(atPath: run + "/report.html"), "the report job failed on a missing cell")
        #expect(try String(contentsOfFile: run + "/results.csv", encoding: .utf8) != (try Self.localResults.get()))

        try Self.reslab(["run", folder + "/tiny.yaml", "--out", run, "--missing", "--threads", "1", "--quiet"])
        #expect(try String(contentsOfFile: run + "/results.csv", encoding: .utf8) == (try Self.localResults.get()))
    }
}
