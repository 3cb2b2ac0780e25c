import Testing
@testable import Experiment

/// The generated sbatch scripts, pinned word for word.
struct SlurmScriptTests {
    static let job = SlurmJob(
        name: "reslab-quickstart", executable: "/opt/reslab/bin/reslab",
        config: "/home/ada/experiments/quickstart.yaml", runFolder: "/scratch/ada/runs/quick start",
        workingDirectory: "/home/ada", cellCount: 6,
        resources: SlurmResources(cpusPerTask: 2, memory: "4G", time: SlurmTime(minutes: 95),
                                  throttle: 3, partition: "cpu", account: "lab-42"))

    @Test func cellsScriptRunsOneCellPerArrayTask() {
        #expect(Self.job.cellsScript == #"""
            #!/bin/bash
            # The cells of /home/ada/experiments/quickstart.yaml as a Slurm job array, written by `reslab slurm`.
            # Array task K runs cell K of `reslab run CONFIG --plan` into /scratch/ada/runs/quick start.
            # A cell whose result exists is skipped: resubmitting this script runs only the missing cells.
            # Submit it, then the report job:
            #   sbatch /scratch/ada/runs/quick start/slurm/cells.sbatch
            #   sbatch --dependency=afterany:<array job id> /scratch/ada/runs/quick start/slurm/report.sbatch
            #SBATCH --job-name=reslab-quickstart
            #SBATCH --array=0-5%3
            #SBATCH --cpus-per-task=2
            #SBATCH --mem=4G
            #SBATCH --time=01:35:00
            #SBATCH --partition=cpu
            #SBATCH --account=lab-42
            #SBATCH --chdir=/home/ada
            #SBATCH --output="/scratch/ada/runs/quick start/logs/cell-%a.job%A.out"
            set -euo pipefail
            exec '/opt/reslab/bin/reslab' run '/home/ada/experiments/quickstart.yaml' --out '/scratch/ada/runs/quick start' --cell "$SLURM_ARRAY_TASK_ID" --threads "$SLURM_CPUS_PER_TASK" --no-report

            """#)
    }

    @Test func reportScriptRunsTheReport() {
        #expect(Self.job.reportScript == #"""
            #!/bin/bash
            # The report of /scratch/ada/runs/quick start, written by `reslab slurm`. Submit it after the cells' array job:
            #   sbatch --dependency=afterany:<array job id> /scratch/ada/runs/quick start/slurm/report.sbatch
            # afterany runs it however the tasks ended; the report marks cells without a result as missing.
            #SBATCH --job-name=reslab-quickstart-report
            #SBATCH --cpus-per-task=1
            #SBATCH --mem=4G
            #SBATCH --time=00:30:00
            #SBATCH --partition=cpu
            #SBATCH --account=lab-42
            #SBATCH --chdir=/home/ada
            #SBATCH --output="/scratch/ada/runs/quick start/logs/report.job%j.out"
            set -euo pipefail
            exec '/opt/reslab/bin/reslab' report '/scratch/ada/runs/quick start'

            """#)
    }

    @Test func optionsLeftOutKeepTheClusterDefaults() {
        var job = Self.job
        job.resources = SlurmResources(cpusPerTask: 1, time: SlurmTime(minutes: 10))
        job.cellCount = 1
        let options = job.cellsScript.split(separator: "\n").filter { $0.hasPrefix("#SBATCH") }
        #expect(options.map { $0.split(separator: "=")[0] } == [
            "#SBATCH --job-name", "#SBATCH --array", "#SBATCH --cpus-per-task", "#SBATCH --time",
            "#SBATCH --chdir", "#SBATCH --output",
        ])
        #expect(options.contains("#SBATCH --array=0-0"))
    }

    @Test func dataFolderIsPassedToEveryTask() {
        var job = Self.job
        job.dataOverride = "/data/ada's images"
        #expect(job.cellsScript.hasSuffix("""
            --out '/scratch/ada/runs/quick start' --data '/data/ada'\\''s images' --cell "$SLURM_ARRAY_TASK_ID" --threads "$SLURM_CPUS_PER_TASK" --no-report

            """))
    }

    @Test func shellQuotingSurvivesQuotes() {
        #expect(shellQuoted("it's") == #"'it'\''s'"#)
        #expect(shellQuoted("a b $c") == "'a b $c'")
    }

    @Test func unwritablePathsAndValuesAreRefused() {
        var job = Self.job
        job.runFolder = "/runs/100%"
        #expect(throws: SlurmError.unsupportedPath(what: "run folder", path: "/runs/100%")) { try job.validate() }
        job = Self.job
        job.resources.memory = "4 GB"
        #expect(throws: SlurmError.invalidValue(option: "--mem", value: "4 GB",
                                                expected: "a size such as 4G, 500M or 8000 (megabytes)")) {
            try job.validate()
        }
        job = Self.job
        job.cellCount = 0
        #expect(throws: SlurmError.emptyPlan(config: job.config)) { try job.validate() }
        #expect(SlurmError.emptyPlan(config: "q.yaml").description
            == "q.yaml describes no cells, so there is nothing to run on the cluster; check its models, train resolutions and seeds.")
    }
}
