import Stats

/// The paired tests a curve's findings rest on, Holm-corrected together as one family: each
/// drop point against the peak (`below`, `above`), and the peak against the training resolution
/// (`peak`). The findings and the accuracy chart read them from here, so a drop is marked on the
/// chart exactly when a finding calls it a drop.
struct CurveTests {
    enum Name: Hashable { case below, above, peak }

    /// The Holm-adjusted comparisons that could be made (a cell without stored predictions has none).
    var comparisons: [Name: PairedComparison] = [:]
    /// How many comparisons the correction covered.
    var family = 0

    init(_ curve: Curve, analysis: Analysis) {
        guard let peakIndex = curve.peak else { return }
        let peak = curve.cells[peakIndex]
        let training = curve.cells.firstIndex { $0.testResolution == curve.key.trainResolution && $0.mean != nil }
        var pairs: [(name: Name, first: Cell, second: Cell)] = []
        for (name, index) in [(Name.below, curve.lowDrop), (.above, curve.highDrop)] {
            if let index, curve.cells[index].mean != nil { pairs.append((name, curve.cells[index], peak)) }
        }
        if let training, training != peakIndex { pairs.append((.peak, peak, curve.cells[training])) }
        let tested = pairs.compactMap { pair in analysis.compare(pair.first, pair.second).map { (pair.name, $0) } }
        for (name, corrected) in zip(tested.map(\.0), tested.map(\.1).holmCorrected()) { comparisons[name] = corrected }
        family = tested.count
    }

    /// Whether the paired test supports a drop (lower accuracy than the peak) at that side's drop point.
    func supportsDrop(_ side: Name, alpha: Double) -> Bool {
        comparisons[side]?.verdict(alpha: alpha) == .secondBetter
    }
}
