import Stats

/// One trained model's remedies under one resize method: each remedy at each test size against
/// the untreated model on the same images (treated − untreated, paired by seed and image), its
/// bootstrap interval and exact McNemar p-value, Holm-adjusted over every (remedy, size) of this
/// model — one family, so a table of many remedies does not turn noise into gains.
struct RemedyComparison {
    struct Row {
        var remedy: String
        var description: String
        var cost: RemedyCost
        /// Mean over seeds of the seconds applying it took.
        var seconds: Double
        var notes: [String]
        var resolution: Int
        var untreated: Cell
        var treated: Cell
        /// Nil when the two share no seed with stored predictions (or either cannot run).
        var test: PairedComparison?

        /// The paired test's verdict; nil when there is no test, which says nothing either way.
        func verdict(alpha: Double) -> Verdict? { test?.verdict(alpha: alpha) }

        /// Why there is no paired test, for a row without one: the treated model was not measured
        /// (it cannot run: its sentence), or it was but cannot be paired (the untreated model
        /// cannot run at that size, or no seed of the two has stored predictions).
        var untested: Untested? {
            guard test == nil else { return nil }
            guard treated.mean != nil else {
                return Untested(kind: .notMeasured, reason: treated.cannotRun.map { "cannot run: " + $0 } ?? "no stored predictions")
            }
            return Untested(kind: .notCompared, reason: untreated.mean == nil ? "the untreated model cannot run here" : "no seed of both has stored predictions")
        }
    }

    /// Why a remedy at a size has no paired test (`Row.untested`).
    struct Untested {
        enum Kind { case notMeasured, notCompared }
        var kind: Kind
        var reason: String
    }

    /// The untreated model's curve under the remedies' method.
    var untreated: Curve
    /// Ordered by size, then cost (cheapest first), then gain (largest first).
    var rows: [Row]

    var resolutions: [Int] { rows.map(\.resolution).uniqued() }

    /// Every trained model's comparison, in the order of the analysis' curves.
    static func all(_ analysis: Analysis) -> [RemedyComparison] {
        let remedies = analysis.data.remedies
        return analysis.curves.compactMap { curve in
            let mine = remedies.filter {
                $0.evaluation.model == curve.key.model && $0.evaluation.trainResolution == curve.key.trainResolution
                    && Method($0.evaluation) == curve.key.method
            }
            guard !mine.isEmpty else { return nil }
            let names = mine.map(\.remedy).uniqued()
            var rows: [Row] = []
            for resolution in mine.map(\.evaluation.testResolution).uniqued().sorted() {
                guard let base = curve.cell(at: resolution) else { continue }
                for name in names {
                    let group = mine.filter { $0.remedy == name && $0.evaluation.testResolution == resolution }
                    guard let first = group.first else { continue }
                    let treated = Analysis.cell(group.map(\.evaluation), resolution: resolution, confidence: analysis.options.confidence)
                    let test = treated.mean != nil && base.mean != nil ? analysis.compare(treated, base) : nil
                    rows.append(Row(remedy: name, description: first.description, cost: first.cost,
                                    seconds: group.map(\.seconds).reduce(0, +) / Double(group.count),
                                    notes: group.compactMap(\.note).uniqued(), resolution: resolution,
                                    untreated: base, treated: treated, test: test))
                }
            }
            let tested = rows.indices.filter { rows[$0].test != nil }
            for (index, corrected) in zip(tested, tested.map { rows[$0].test! }.holmCorrected()) {
                rows[index].test = corrected
            }
            rows.sort { a, b in
                (a.resolution, a.cost.rawValue, -(a.test?.difference ?? -2), names.firstIndex(of: a.remedy)!)
                    < (b.resolution, b.cost.rawValue, -(b.test?.difference ?? -2), names.firstIndex(of: b.remedy)!)
            }
            return RemedyComparison(untreated: curve, rows: rows)
        }
    }
}
