import Foundation
import Testing
import TestSupport
@testable import Experiment

/// Submission against a stand-in `sbatch` (a shell script on a private PATH) that records its
/// arguments and prints what a real one prints.
struct SlurmSubmitTests {
    /// A temporary folder holding `bin/sbatch` with `body`, and a run folder with written scripts.
    func withFakeSbatch(_ body: String?, _ check: (SlurmJob, [String: String], String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("slurm-submit-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        if let body {
            #expect(writeExecutableScript("#!/bin/sh\necho \"$@\" >> \(root)/calls\n" + body, to: root + "/bin/sbatch"))
        }
        let job = SlurmJob(name: "reslab-t", executable: "/bin/reslab", config: root + "/t.yaml",
                           runFolder: root + "/run", workingDirectory: root, cellCount: 3,
                           resources: SlurmResources(cpusPerTask: 1, time: SlurmTime(minutes: 10)))
        try job.writeScripts()
        try check(job, ["PATH": root + "/bin"], root)
    }

    @Test func submitsTheArrayThenTheReportAfterIt() throws {
        try withFakeSbatch(#"case "$*" in *cells*) echo "41;cluster-a" ;; *) echo 42 ;; esac"#) { job, environment, root in
            let submission = try job.submit(environment: environment)
            #expect(submission == SlurmSubmission(arrayJob: "41", reportJob: "42"))
            #expect(submission.watchCommand == "squeue -j 41,42")
            #expect(try String(contentsOfFile: root + "/calls", encoding: .utf8) == """
                --parsable \(job.cellsScriptPath)
                --parsable --dependency=afterany:41 \(job.reportScriptPath)

                """)
            #expect(FileManager.default.fileExists(atPath: job.logFolder))
            #expect(FileManager.default.isExecutableFile(atPath: job.cellsScriptPath))
        }
    }

    @Test func missingSbatchSaysWhereTheScriptsAre() throws {
        try withFakeSbatch(nil) { job, environment, _ in
            #expect(throws: SlurmError.sbatchNotFound(cellsScript: job.cellsScriptPath, reportScript: job.reportScriptPath)) {
                try job.submit(environment: environment)
            }
            #expect(SlurmError.sbatchNotFound(cellsScript: "R/slurm/cells.sbatch", reportScript: "R/slurm/report.sbatch").description
                == "sbatch is not on PATH, so nothing was submitted. The scripts are written: on a machine with Slurm, "
                + "run 'sbatch --parsable R/slurm/cells.sbatch' and then "
                + "'sbatch --dependency=afterany:<job id it printed> R/slurm/report.sbatch'.")
        }
    }

    @Test func sbatchRefusalIsPassedOn() throws {
        let message = "sbatch: error: invalid partition specified: gpu"
        try withFakeSbatch("echo '\(message)' >&2; exit 1") { job, environment, _ in
            let failure = SlurmError.sbatchFailed(script: job.cellsScriptPath, status: 1, output: message + "\n")
            #expect(throws: failure) { try job.submit(environment: environment) }
            #expect(failure.description == "sbatch could not submit \(job.cellsScriptPath) (exit status 1): \(message)\n"
                + "Fix what it reports (an option such as --partition, --mem or --time, or the Slurm configuration) "
                + "and run reslab slurm again.")
        }
    }

    @Test func garbageInsteadOfAJobIdIsAnError() throws {
        try withFakeSbatch("echo 'Submitted batch job 7'") { job, environment, _ in
            #expect(throws: SlurmError.unexpectedSbatchOutput(script: job.cellsScriptPath, output: "Submitted batch job 7")) {
                try job.submit(environment: environment)
            }
        }
    }
}
