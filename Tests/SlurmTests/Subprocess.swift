import Foundation
import TestSupport
@testable import Experiment

/// Runs `executable arguments` to completion in this process's environment plus `environment`.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ProgramOutput {
    try runProgram(executable, arguments,
                   environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
}

/// `scripts/slurm/NAME` in the package.
func slurmScript(_ name: String) -> String {
    Fixtures.packageRoot.appendingPathComponent("scripts/slurm/\(name)").path
}
