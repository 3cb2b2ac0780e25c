import Foundation
import Testing
@testable import Experiment

/// A one-node Slurm cluster on 127.0.0.1 for one test: `scripts/slurm/start.sh` starts it under a
/// fresh temporary folder, `stop()` stops exactly those daemons and removes the folder.
struct TestCluster {
    /// The cluster's folder (config, state, logs, munge socket).
    let state: String
    /// `SLURM_CONF` for sbatch, squeue and scontrol.
    var environment: [String: String] { ["SLURM_CONF": state + "/slurm.conf"] }

    /// Starts a cluster, or returns `nil` and the reason when Slurm cannot be installed or run
    /// here (not root, no apt-get): the test then skips.
    static func start() throws -> (TestCluster?, skipReason: String?) {
        let started = try runProcess(slurmScript("start.sh"), [])
        switch started.status {
        case 0: return (TestCluster(state: started.output.trimmingCharacters(in: .whitespacesAndNewlines)), nil)
        case 3: return (nil, "a test Slurm cluster cannot run here: " + started.errors.trimmingCharacters(in: .whitespacesAndNewlines))
        default:
            Issue.record("scripts/slurm/start.sh failed (status \(started.status)):\n\(started.errors)")
            return (nil, nil)
        }
    }

    func stop() {
        let stopped = try? runProcess(slurmScript("stop.sh"), [state, "--remove"])
        if stopped?.status != 0 { Issue.record("scripts/slurm/stop.sh failed:\n\(stopped?.errors ?? "")") }
    }

    /// Runs a Slurm client command (`squeue`, `scontrol`, `scancel`) against this cluster.
    func client(_ command: String, _ arguments: [String]) throws -> ProgramOutput {
        try runProcess("/usr/bin/" + command, arguments, environment: environment)
    }

    /// Waits until `condition` holds, polling `every` seconds; records an issue and returns false
    /// when `seconds` pass first.
    func wait(seconds: Double, every interval: Double = 0.2, for what: String, until condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: interval)
        }
        Issue.record("timed out after \(Int(seconds)) s waiting for \(what); slurmctld log:\n\(log("slurmctld"))")
        return false
    }

    /// Waits until none of `jobs` is pending or running.
    func waitForJobs(_ jobs: [String], seconds: Double) throws -> Bool {
        try wait(seconds: seconds, for: "jobs \(jobs.joined(separator: ","))") {
            try client("squeue", ["-h", "-j", jobs.joined(separator: ",")]).output.isEmpty
        }
    }

    /// The last lines of `log/NAME.log` (slurmctld or slurmd), for failure messages.
    func log(_ name: String) -> String {
        let text = (try? String(contentsOfFile: "\(state)/log/\(name).log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(30).joined(separator: "\n")
    }
}
