import Foundation

extension PlanSummary {
    /// `--plan`: one line per cell, `id  model  train_res  seed  status`.
    public var cellTable: String {
        var lines = ["cell  model                 train_res  seed  status"]
        for row in rows {
            let name = row.cell.model.name.padding(toLength: max(20, row.cell.model.name.count), withPad: " ", startingAt: 0)
            lines.append(String(format: "%4d  ", row.cell.id) + name + "  "
                         + String(format: "%9d  %4d  ", row.cell.trainResolution, row.cell.seed) + (row.done ? "done" : "to run"))
        }
        return lines.joined(separator: "\n")
    }

    /// `--dry-run`: the data, the cells, FLOPs, cannot-run conditions, the estimated time and how
    /// it was estimated.
    public var dryRunText: String {
        let todo = rows.filter { !$0.done }
        var text = """
            Experiment \(experiment): \(rows.count) cells (\(todo.count) to run)\(folder.map { " in \($0)" } ?? "")
            Data: \(trainImages) training and \(testImages) test images, \(classes) classes
            Each trained model is tested under \(evaluationsPerCell) conditions (resolution × method × antialias).

            """
        text += cellTable + "\n\n"
        for row in rows {
            text += "\(row.cell.label): \(formatFLOPs(row.forwardFLOPs)) per image forward, \(formatFLOPs(row.totalFLOPs)) in all"
                + (row.done ? "\n" : ", about \(formatDuration(row.estimatedSeconds))\n")
            // One line per reason, listing its resolutions.
            var reasons: [(String, [Int])] = []
            for (key, reason) in row.cannotRun {
                if let i = reasons.firstIndex(where: { $0.0 == reason }) {
                    if !reasons[i].1.contains(key.resolution) { reasons[i].1.append(key.resolution) }
                } else {
                    reasons.append((reason, [key.resolution]))
                }
            }
            for (reason, sizes) in reasons {
                text += "  cannot run at \(sizes.map(String.init).joined(separator: ", ")) px: \(reason)\n"
            }
            if row.remedyFLOPs > 0 { text += "  of which remedies: \(formatFLOPs(row.remedyFLOPs))\n" }
        }
        text += "\nTotal: \(formatFLOPs(todo.reduce(0) { $0 + $1.totalFLOPs })); estimated time on \(threads) thread(s): \(formatDuration(estimatedSeconds))."
        return text + "\n" + estimateBasis
    }

    /// How the estimate was made: each model's rates, timed here or assumed.
    var estimateBasis: String {
        var rates: [(String, ModelSpeed)] = []
        for row in rows where !row.done {
            let model = "\(row.cell.model.name) at \(row.cell.trainResolution) px"
            if !rates.contains(where: { $0.0 == model }) { rates.append((model, row.speed)) }
        }
        func text(_ speed: ModelSpeed) -> String {
            "\(speed.trainingFLOPsPerSecond.map { "training \(formatRate($0)), " } ?? "")evaluation \(formatRate(speed.forwardFLOPsPerSecond))"
        }
        let timed = rates.filter { $0.1.measured }.map { "\($0.0) \(text($0.1))" }
        let assumed = rates.filter { !$0.1.measured }.map(\.0)
        var lines: [String] = []
        if !timed.isEmpty {
            lines.append("Estimated from training steps and forward passes timed here on \(threads) thread(s): \(timed.joined(separator: "; ")).")
        }
        if !assumed.isEmpty {
            lines.append("Not timed, assumed \(text(ModelSpeed.fallback)) (measured on one Zen 5 core): \(assumed.joined(separator: ", ")).")
        }
        lines.append("Each cell is its training, test and remedy FLOPs at its model's rates, timed just now (the fastest of three short timings; "
                     + "while other work runs, more threads than free cores time much slower); "
                     + "decoding, resizing and the extra cost of large test batches at large resolutions are not included.")
        return lines.joined(separator: "\n")
    }
}

/// `143 GFLOP/s`.
func formatRate(_ flopsPerSecond: Double) -> String {
    String(format: "%.3g GFLOP/s", flopsPerSecond / 1e9)
}

/// `1.2 GFLOP`, `340 MFLOP`.
func formatFLOPs(_ flops: Double) -> String {
    for (scale, unit) in [(1e15, "PFLOP"), (1e12, "TFLOP"), (1e9, "GFLOP"), (1e6, "MFLOP"), (1e3, "kFLOP")] where flops >= scale {
        return String(format: "%.1f", flops / scale) + " " + unit
    }
    return String(format: "%.0f FLOP", flops)
}

/// `1:05:09`, `3:07`, `12 s`.
public func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s) s" }
    if s < 3600 { return String(format: "%d:%02d", s / 60, s % 60) }
    return String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
}
