import Stats

/// The "why" sentences an expert adds to a drop: lost content when shrinking (the Nyquist
/// budget), a receptive field that no longer matches the objects when enlarging, rounding at a
/// size that is not a multiple of the total stride, and the resize method's effect by direction.
extension Findings {
    /// The cause of the drop at `resolution` on one side of the peak: below the training size,
    /// the Nyquist budget there against the training size's; above it, the receptive-field ratio.
    func causeNote(_ key: CurveKey, resolution: Int) -> String? {
        resolution < key.trainResolution ? nyquistNote(key, resolution: resolution) : receptiveFieldNote(key, resolution: resolution)
    }

    /// "At 16 px 5.3% of the test images' energy lies above the Nyquist limit (middle half of the
    /// images 3.0–7.0%), against 0.0% at the 32 px training size: the finest detail …". Natural
    /// images hold little energy at high frequencies, so a small share is still the edges and
    /// texture; only a share no larger than at the training size rules lost content out.
    private func nyquistNote(_ key: CurveKey, resolution: Int) -> String? {
        guard let budget = analysis.data.nyquist, let here = budget.point(at: resolution) else { return nil }
        let training = budget.point(at: key.trainResolution)
        let against = training.map { ", against \(percent($0.mean)) at the \(key.trainResolution) px training size" } ?? ""
        let share = "\(percent(here.mean)) of the test images’ energy lies above the Nyquist limit (middle half of the images \(percentRange(here.lowerQuartile, here.upperQuartile)))\(against)"
        guard here.mean - (training?.mean ?? 0) >= 0.0005 else {
            return "At \(resolution) px \(share), so lost content does not explain this drop."
        }
        let fate = key.method.antialias && key.method.filter != .nearest
            ? "removed by the antialiasing filter" : "folded back into false detail (aliasing)"
        return "At \(resolution) px \(share): the finest detail the filters learned from (edges, texture) is \(fate) before the network sees the image."
    }

    /// "At 40 px objects are 1.25× as large as in training (40/32 px) while the receptive field of
    /// the last feature map stays 36 px: each position sees 80% as much of an object."
    private func receptiveFieldNote(_ key: CurveKey, resolution: Int) -> String? {
        guard resolution > key.trainResolution, let table = analysis.architecture(key, testResolution: resolution),
              let field = lastFeatureReceptiveField(table) else { return nil }
        let ratio = Double(resolution) / Double(key.trainResolution)
        let seen = field >= key.trainResolution
            ? " (in training one position saw the whole \(key.trainResolution) px image; here \(min(field, resolution)) of \(resolution) px)"
            : ""
        return "At \(resolution) px objects are \(fixed(ratio, 2))× as large as in training (\(resolution)/\(key.trainResolution) px) while the receptive field of the last feature map stays \(field) px: each position sees \(Int((100 / ratio).rounded()))% as much of an object as the filters learned from\(seen)."
    }

    /// Dips at sizes that are not a multiple of the total stride: an interior test size whose
    /// accuracy is below both neighbours', each difference supported by the paired test (Holm
    /// over every candidate's two comparisons), named a rounding effect when a layer drops or pads
    /// rows and columns there.
    func roundingDips(_ curve: Curve) -> [String] {
        var candidates: [(cell: Cell, stride: Int, table: ArchitectureTable, tests: [PairedComparison])] = []
        for i in curve.cells.indices.dropFirst().dropLast() {
            let (left, cell, right) = (curve.cells[i - 1], curve.cells[i], curve.cells[i + 1])
            guard let mean = cell.mean, let l = left.mean, let r = right.mean, mean < l, mean < r,
                  let table = analysis.architecture(curve.key, testResolution: cell.testResolution),
                  let stride = table.layers.last(where: { $0.outputShape.count == 3 })?.totalStride, stride > 1,
                  cell.testResolution % stride != 0,
                  let a = analysis.compare(cell, left), let b = analysis.compare(cell, right) else { continue }
            candidates.append((cell, stride, table, [a, b]))
        }
        let corrected = candidates.flatMap(\.tests).holmCorrected()
        let family = corrected.count
        return candidates.enumerated().compactMap { index, candidate in
            let (a, b) = (corrected[2 * index], corrected[2 * index + 1])
            guard a.verdict(alpha: analysis.options.alpha) == .secondBetter, b.verdict(alpha: analysis.options.alpha) == .secondBetter else { return nil }
            let r = candidate.cell.testResolution
            let neighbours = "\(difference(a, family: family)) against \(neighbour(curve, r, -1)) px; \(difference(b, family: family)) against \(neighbour(curve, r, 1)) px"
            let start = "At \(r) px accuracy dips below both neighbours (\(neighbours)): \(r) is not a multiple of the total stride \(candidate.stride)"
            let rounding = roundingText(candidate.table)
            guard !rounding.isEmpty else { return start + ", but no layer rounds its size here, so rounding does not explain the dip." }
            return start + ", and " + rounding + ": a rounding effect (the architecture math below shows what the other rule would do)."
        }
    }

    private func neighbour(_ curve: Curve, _ resolution: Int, _ step: Int) -> Int {
        let index = curve.cells.firstIndex { $0.testResolution == resolution }!
        return curve.cells[index + step].testResolution
    }

    /// "floor rounding drops 1 row and 1 column at #7 maxpool 2/2", or the ceil padding; empty
    /// when no layer rounds.
    private func roundingText(_ table: ArchitectureTable) -> String {
        var parts: [String] = []
        for layer in table.layers {
            if layer.rowsLost + layer.columnsLost > 0 {
                parts.append("floor rounding drops \(plural(layer.rowsLost, "row")) and \(plural(layer.columnsLost, "column")) at \(escapeHTML(layer.layer))")
            }
            for rule in layer.rules where rule.used && rule.rule == .ceil && rule.rows.padded + rule.columns.padded > 0 {
                parts.append("ceil rounding pads \(plural(rule.rows.padded, "row")) and \(plural(rule.columns.padded, "column")) at \(escapeHTML(layer.layer))")
            }
        }
        return parts.joined(separator: ", ")
    }

    /// One sentence on how the method effect depends on the resize direction: per direction
    /// (shrinking below the test images' median size, enlarging above it), the supported
    /// differences and which method wins them. Nil when no difference is supported or the run
    /// stored no image sizes (the Nyquist budget).
    func directionFinding(_ comparison: MethodComparison) -> String? {
        guard let budget = analysis.data.nyquist else { return nil }
        let size = max(budget.medianWidth, budget.medianHeight)
        let other = comparison.other.key.method.label, reference = comparison.reference.key.method.label
        var clauses: [String] = []
        var weakest = 0.0
        for (name, rows) in [("shrinking", comparison.rows.filter { $0.resolution < size }),
                             ("enlarging", comparison.rows.filter { $0.resolution > size })] where !rows.isEmpty {
            let supported = rows.filter { $0.isSignificant(alpha: analysis.options.alpha) }
            let range = resolutionList(supported.map(\.resolution), among: rows.map(\.resolution))
            if supported.isEmpty {
                clauses.append("when \(name) (\(resolutionList(rows.map(\.resolution), among: rows.map(\.resolution))) px) the two are indistinguishable")
                continue
            }
            weakest = max(weakest, supported.map(\.test.adjustedPValue).max()!)
            // The winners on this side: the other method where it gains, the reference where it loses.
            let wins = [(other, reference, supported.filter { $0.test.difference > 0 }),
                        (reference, other, supported.filter { $0.test.difference < 0 })].filter { !$0.2.isEmpty }
            let amount = { (rows: [MethodComparison.Row]) -> String in
                let magnitudes = rows.map { abs(100 * $0.test.difference) }
                return magnitudes.count == 1 ? "+\(fixed(magnitudes[0], 1))" : "+\(fixed(magnitudes.min()!, 1)) to +\(fixed(magnitudes.max()!, 1))"
            }
            if wins.count == 1, let (winner, loser, won) = wins.first {
                clauses.append("\(winner) beats \(loser) when \(name), \(amount(won)) points at \(range) px")
            } else {
                let parts = wins.map { winner, loser, won in
                    "\(winner) beats \(loser) at \(resolutionList(won.map(\.resolution), among: rows.map(\.resolution))) px (\(amount(won)) points)"
                }
                clauses.append("when \(name) the winner changes with the size: " + parts.joined(separator: ", "))
            }
        }
        guard weakest > 0 else { return nil }
        let evidence = pText(weakest, adjusted: comparison.rows.count > 1).replacingOccurrences(of: "p = ", with: "p ≤ ")
        return escapeHTML(capitalized(clauses.joined(separator: "; ")) + " (the \(size) px test images shrink below that size and are enlarged above it; every supported difference has \(evidence)).")
    }

    /// "8–24" when `sizes` are consecutive among `all`, else "8, 16, 24".
    private func resolutionList(_ sizes: [Int], among all: [Int]) -> String {
        guard let first = sizes.first, let last = sizes.last else { return "" }
        if sizes.count == 1 { return String(first) }
        let span = all.filter { $0 >= first && $0 <= last }
        return span == sizes ? "\(first)–\(last)" : sizes.map(String.init).joined(separator: ", ")
    }
}

/// The receptive field (input pixels) of one position of the last spatial feature map, before
/// global pooling or flatten: the one place the findings read receptive fields, from the table
/// that `ArchitectureTable(spec:channels:trainResolution:testResolution:)` fills from NN's
/// architecture math.
func lastFeatureReceptiveField(_ table: ArchitectureTable) -> Int? {
    table.layers.last { $0.outputShape.count == 3 }?.receptiveField
}
