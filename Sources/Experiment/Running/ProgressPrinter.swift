import Foundation

/// Renders progress events as text for the CLI: on a terminal, one self-overwriting bar per cell
/// (`\r`, at most 10 updates a second) with epoch, loss, images/s and ETA; otherwise plain lines
/// (one per epoch and one per evaluation). Each epoch's line gives its training loss and the
/// held-out accuracy and loss after it. Returns nil for events that print nothing.
public struct ProgressPrinter {
    public var terminal: Bool
    private var lastDraw = Date.distantPast
    private var barOpen = false

    public init(terminal: Bool) { self.terminal = terminal }

    public mutating func render(_ event: ProgressEvent) -> String? {
        switch event {
        case let .runStarted(folder, cells, toRun):
            return "Run folder \(folder): \(cells) cells, \(toRun) to run."
        case let .dataLoaded(train, test, classes, skipped, seconds):
            let skippedText = skipped > 0 ? ", \(skipped) files skipped (see the report)" : ""
            return "Data: \(train) training and \(test) test images, \(classes) classes\(skippedText), decoded in \(String(format: "%.1f", seconds)) s."
        case let .cellSkipped(cell):
            return "cell \(cell.id) \(cell.label): already done, skipped."
        case let .cellStarted(cell, position, total):
            return "cell \(cell.id) \(cell.label) (\(position)/\(total))"
        case .step where !terminal:
            // Logs (Slurm, CI): only the epoch's line.
            return nil
        case let .step(_, epoch, epochs, step, steps, loss, rate, eta):
            guard Date().timeIntervalSince(lastDraw) > 0.1 || step == steps else { return nil }
            lastDraw = Date()
            barOpen = true
            let share = Double(step) / Double(steps)
            let filled = Int(share * 20)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 20 - filled)
            return "\r  epoch \(epoch)/\(epochs) \(bar) \(Int(share * 100))% loss \(String(format: "%.3f", loss)) "
                + "\(Int(rate)) img/s ETA \(formatDuration(eta))   "
        case let .epochFinished(_, record, epochs):
            var heldOut = ""
            if let top1 = record.heldOutTop1, let loss = record.heldOutLoss {
                heldOut = ", held-out \(String(format: "%.1f", 100 * top1))% (loss \(String(format: "%.4f", loss)))"
            }
            let line = "  epoch \(record.epoch)/\(epochs): train loss \(String(format: "%.4f", record.loss))\(heldOut), \(String(format: "%.1f", record.seconds)) s"
            return closeBar() + line
        case let .trainingResumed(_, epoch, step, epochs):
            return epoch > epochs ? "  trained before the interruption (saved training state); evaluating"
                : "  continuing from the saved training state at epoch \(epoch), step \(step)"
        case let .trainingStateIgnored(_, reason):
            return "  training from the start: the saved training state was ignored. \(reason)"
        case let .evaluated(_, record):
            let condition = "\(record.key.resolution) px \(record.key.method.rawValue)\(record.key.antialias ? "" : " (no antialias)")"
            if let reason = record.cannotRun { return "  \(condition): cannot run: \(reason)" }
            return "  \(condition): top-1 \(String(format: "%.1f", 100 * (record.top1 ?? 0)))%"
        case let .cellFinished(cell, seconds):
            return "cell \(cell.id) done in \(formatDuration(seconds))."
        case let .remedyEvaluated(cell, remedy, record, seconds):
            let outcome = record.cannotRun.map { "cannot run: \($0)" } ?? "top-1 \(String(format: "%.1f", 100 * (record.top1 ?? 0)))%"
            return closeBar() + "cell \(cell.id) \(remedy.rawValue) at \(record.key.resolution) px (\(formatDuration(seconds)) to apply): \(outcome)"
        }
    }

    /// Ends the bar line before a plain line.
    private mutating func closeBar() -> String {
        defer { barOpen = false }
        return barOpen ? "\r" + String(repeating: " ", count: 79) + "\r" : ""
    }
}
