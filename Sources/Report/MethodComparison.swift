import Stats

/// One trained model's accuracy with another resize method against the reference method, at
/// every resolution both measured: the paired difference (other − reference), its exact McNemar
/// p-value, and the Holm-adjusted p-value over all of these resolutions (one family).
struct MethodComparison {
    struct Row {
        var resolution: Int
        var reference: Cell
        var other: Cell
        var difference: Double
        var pValue: Double
        var adjustedPValue: Double
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
                  let test = analysis.pValue(cell, base) else { continue }
            rows.append(Row(resolution: cell.testResolution, reference: base, other: cell,
                            difference: test.difference, pValue: test.p, adjustedPValue: test.p))
        }
        for (index, adjusted) in holmAdjusted(rows.map(\.pValue)).enumerated() {
            rows[index].adjustedPValue = adjusted
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
