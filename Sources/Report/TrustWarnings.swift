import Stats

/// Warnings that head the findings when a trained model's results cannot carry conclusions:
/// - its peak is near chance: the peak's interval reaches down to within `chanceMargin` of the
///   accuracy of guessing (1 / classes), so the model learned little or nothing and its
///   resolution curve shows noise, not the architecture;
/// - the test set is too small: the interval at the peak is wider than ±`widthLimit`, so
///   differences of a few points, the size most findings are about, cannot be seen. For a
///   Wilson interval at 50% accuracy that means fewer than about 385 test images (1.96² / (4 · 0.05²)).
struct TrustWarnings {
    let analysis: Analysis
    /// 5 points above chance.
    static let chanceMargin = 0.05
    /// ±5 points.
    static let widthLimit = 0.05
    private static let caution = element("strong", [], "Caution:")

    /// One HTML sentence per problem, for the reference curve of every trained model.
    var items: [String] {
        let classes = analysis.data.classNames.count
        guard classes >= 2 else { return [] }
        let chance = 1 / Double(classes)
        return analysis.referenceCurves.flatMap { curve -> [String] in
            guard let peakIndex = curve.peak, let mean = curve.cells[peakIndex].mean,
                  let interval = curve.cells[peakIndex].interval else { return [] }
            let peak = curve.cells[peakIndex]
            let name = element("strong", [], escapeHTML(curve.key.modelLabel))
            var items: [String] = []
            if interval.lower <= chance + Self.chanceMargin {
                items.append("\(Self.caution) \(name) peaks at \(percent(mean)) (\(peak.testResolution) px), and its interval reaches down to \(percent(interval.lower)), within \(Int(Self.chanceMargin * 100)) points of chance (\(percent(chance)) for \(classes) classes): the model has learned little, so its curve shows noise rather than the architecture. Train longer, check the labels, or use more training images.")
            }
            let halfWidth = (interval.upper - interval.lower) / 2
            if halfWidth > Self.widthLimit {
                let images = peak.metrics.first?.count ?? analysis.data.testLabels.count
                items.append("\(Self.caution) \(name) is tested on \(images) images, so its \(Int(analysis.options.confidence * 100))% interval at the peak spans ±\(fixed(100 * halfWidth, 1)) points: differences smaller than that cannot be told from chance. About 385 test images bring it within ±5 points at 50% accuracy.")
            }
            return items
        }
    }
}
