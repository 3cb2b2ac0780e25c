import Stats

/// One trained model's accuracy with another resize method against the reference method, at
/// every resolution both measured: the paired comparison (other − reference) with its bootstrap
/// interval and exact McNemar p-value, Holm-adjusted over all of these resolutions (one family).
struct MethodComparison {
    struct Row {
        var resolution: Int
        var reference: Cell
        var other: Cell
        /// other − reference, its interval, and the p-value before and after Holm's correction.
        var test: PairedComparison

        /// Whether the paired test supports a difference at `alpha` (Holm-adjusted).
        func isSignificant(alpha: Double) -> Bool { test.verdict(alpha: alpha) != .indistinguishable }
    }

    var reference: Curve
    var other: Curve
    var rows: [Row]

    init(_ analysis: Analysis, reference: Curve, other: Curve) {
        self.reference = reference
        self.other = other
        var rows: [Row] = []
        for cell in other.cells where cell.mean != nil {
            guard let base = reference.cell(at: cell.testResolution), base.mean != nil,
                  let test = analysis.compare(cell, base) else { continue }
            rows.append(Row(resolution: cell.testResolution, reference: base, other: cell, test: test))
        }
        for (index, corrected) in rows.map(\.test).holmCorrected().enumerated() {
            rows[index].test = corrected
        }
        self.rows = rows
    }

    /// Every comparison of other methods against the reference, per trained model.
    static func all(_ analysis: Analysis) -> [MethodComparison] {
        analysis.referenceCurves.flatMap { reference in
            analysis.methods.dropFirst().compactMap { method in
                analysis.curve(reference.key, method: method).map { MethodComparison(analysis, reference: reference, other: $0) }
            }
        }
    }
}
