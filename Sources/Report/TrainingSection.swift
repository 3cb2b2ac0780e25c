import Foundation

/// "Training curves": for every trained model, the held-out accuracy after each epoch (with the
/// chance level) beside the training loss (solid) and held-out loss (dashed), one colour and
/// marker per trained model, one legend for both charts. A held-out loss that turns up while the
/// training loss keeps falling is overfitting; a curve still rising at the last epoch is a model
/// that would gain from more epochs.
struct TrainingSection {
    let analysis: Analysis

    func html() -> String? {
        let curves = analysis.data.trainingCurves.filter { !$0.epochs.isEmpty }
        guard !curves.isEmpty else { return nil }
        let epochs = Array(1...(curves.flatMap { $0.epochs.map(\.epoch) }.max() ?? 1))
        let classes = analysis.data.classNames.count
        let entries = curves.indices.map { i in
            ChartLegend.Entry(label: curves[i].label, colour: Palette.line(i), dash: "", shape: MarkerShape(i))
        }
        func values(_ curve: TrainingCurve, _ value: (EpochPoint) -> Double?) -> [Double?] {
            epochs.map { epoch in curve.epochs.first { $0.epoch == epoch }.flatMap(value) }
        }
        func series(_ i: Int, _ values: [Double?], dash: String, what: String, format: (Double) -> String) -> LineChart.Series {
            LineChart.Series(label: curves[i].label, colour: entries[i].colour, dash: dash, shape: entries[i].shape, values: values,
                             bands: values.map { _ in nil },
                             tooltips: zip(epochs, values).map { epoch, value in value.map { "\(curves[i].label), epoch \(epoch): \(what) \(format($0))" } ?? "" },
                             legendIndex: i)
        }
        var accuracy = LineChart(label: "Held-out top-1 accuracy after each epoch", title: "held-out accuracy", ticks: epochs, logScale: false,
                                 series: curves.indices.map { series($0, values(curves[$0], \.heldOutTop1), dash: "", what: "held-out top-1", format: percent) },
                                 chance: classes >= 2 ? 1 / Double(classes) : nil)
        // Losses share one axis from 0 to the largest loss rounded up to a multiple of 0.5.
        let largest = curves.flatMap { $0.epochs.flatMap { [$0.trainLoss, $0.heldOutLoss ?? 0] } }.max() ?? 1
        let top = max(0.5, (largest / 0.5).rounded(.up) * 0.5)
        let scaled = { (value: Double?) in value.map { $0 / top } }
        var loss = LineChart(label: "Training and held-out loss after each epoch", title: "loss (solid: training, dashed: held-out)",
                             ticks: epochs, logScale: false,
                             series: curves.indices.flatMap { i in [
                                 series(i, values(curves[i]) { scaled($0.trainLoss) }, dash: "", what: "training loss") { fixed($0 * top, 3) },
                                 series(i, values(curves[i]) { scaled($0.heldOutLoss) }, dash: "6 3", what: "held-out loss") { fixed($0 * top, 3) },
                             ] })
        loss.yLabels = (0...5).map { fixed(top * Double($0) / 5, 2) }
        accuracy.frame = ChartFrame(width: 540, plotHeight: 260, margin: (left: 58, right: 18, top: 30, bottom: 46),
                                    xTitle: "epoch", yTitle: "held-out top-1")
        loss.frame = ChartFrame(width: 540, plotHeight: 260, margin: (left: 58, right: 18, top: 30, bottom: 46),
                                xTitle: "epoch", yTitle: "mean cross-entropy")
        let legend = ChartLegend(entries: entries, key: false)
        let caption = "After each epoch the model is tested on the held-out images at its training resolution (training resize method and test crop). The training loss is the mean over the epoch's augmented batches, so it can sit above the held-out loss. A held-out loss that turns up while the training loss falls means overfitting; an accuracy still rising at the last epoch means more epochs would help."
        return element("figure", [("class", "multiples")],
                       legend.svg() + element("div", [("class", "panels")],
                                              element("figure", [("class", "panel")], accuracy.svg()) + element("figure", [("class", "panel")], loss.svg()))
                       + element("figcaption", [], escapeHTML(caption)))
    }
}
