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

    /// `--dry-run`: the data, the cells, FLOPs, cannot-run conditions and the estimated time.
    public func dryRunText(threads: Int) -> String {
        let todo = rows.filter { !$0.done }
        var text = """
            Experiment \(experiment): \(rows.count) cells (\(todo.count) to run)\(folder.map { " in \($0)" } ?? "")
            Data: \(trainImages) training and \(testImages) test images, \(classes) classes
            Each trained model is tested under \(evaluationsPerCell) conditions (resolution × method × antialias).

            """
        text += cellTable + "\n\n"
        for row in rows {
            text += "\(row.cell.label): \(formatFLOPs(row.forwardFLOPs)) per image forward, \(formatFLOPs(row.totalFLOPs)) in all\n"
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
        }
        let seconds = estimatedSeconds(threads: threads)
        text += "\nTotal: \(formatFLOPs(todo.reduce(0) { $0 + $1.totalFLOPs })); estimated time on \(threads) thread(s): \(formatDuration(seconds))"
        text += " (assuming \(Int(Self.assumedFLOPSPerThread / 1e9)) GFLOP/s per thread)."
        return text
    }
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
