import Foundation

/// The plan of `request`'s experiment as `reslab run CONFIG --out RUN --plan` sees it: every cell,
/// with its FLOPs (and with `measure`, its model's training rate on `cpusPerTask` threads). Throws
/// the runner's errors (bad config, a run folder of another experiment).
func slurmPlan(_ request: SlurmRequest, measure: Bool) throws -> PlanSummary {
    var options = RunOptions(configPath: request.configPath, threads: request.cpusPerTask)
    options.out = request.runFolder
    options.dataOverride = request.dataOverride
    return try planExperiment(options, measure: measure)
}

/// The basis of the array tasks' time limit: of the cells still to run (all, when every one has a
/// result), the one that takes longest at its model's rates (timed on this machine with the
/// tasks' thread count, see `planExperiment`); `flopsPerSecond` is that cell's overall rate.
func slurmEstimate(_ plan: PlanSummary) -> SlurmEstimate {
    let todo = plan.rows.filter { !$0.done }
    guard let slowest = (todo.isEmpty ? plan.rows : todo).max(by: { $0.estimatedSeconds < $1.estimatedSeconds }) else {
        return SlurmEstimate(cellFLOPs: 0, flopsPerSecond: ModelSpeed.assumedTrainingRate, measured: false)
    }
    return SlurmEstimate(cellFLOPs: slowest.totalFLOPs, flopsPerSecond: slowest.totalFLOPs / max(1e-9, slowest.estimatedSeconds),
                         measured: slowest.speed.measured)
}
