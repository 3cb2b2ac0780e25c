/// A 2×2, stride-2, unpadded max pool taken in the convolution's store
/// (`ExecutionSchedule.pooledInto`): the convolution writes the pool's output (Ho/2 × Wo/2, or
/// the pool's rounding of odd maps) and never its own. Winograd's F(2×2, 3×3) takes the maximum
/// of each 2×2 output tile (`WinogradConvolution`, evaluation); the forward pass that reads
/// windows in place (`forwardWindows`) multiplies a block of output rows into the worker's
/// scratch and pools its pairs of rows from there, in training also writing each output's
/// winner (its place in the window, 0…3, as Float) for `Pooling.tiledMaxBackward`. Either
/// way the maximum is taken as `Pooling.maxForward` takes it (from −∞, strict >, in window
/// order: `WindowMaximum`), so the output is the pool's bit for bit and the winner the one its
/// backward finds.
extension Convolution {
    /// Whether a forward pass (an evaluation or a training one) can take such a pool in its
    /// store: where an evaluation uses Winograd (any map size); in training, where the output
    /// has even height and width (`Pooling.tiledMaxBackward` needs windows that tile the map) and
    /// Winograd applies or the forward pass reads windows in place (blocks of an even number of
    /// rows start at pairs).
    func takesMaxPoolInStore(evaluation: Bool) -> Bool {
        let winograd = WinogradConvolution.applies(to: self, training: !evaluation)
        if evaluation && winograd { return true }
        guard plan.output.height % 2 == 0 && plan.output.width % 2 == 0 else { return false }
        if winograd { return true }
        guard let outputRows = windowBlockRows else { return false }
        return outputRows >= 2
    }

    /// Output rows per block when the pool is taken in the store: `windowBlockRows`, made even.
    var pooledBlockRows: Int { windowBlockRows! / 2 * 2 }

    /// Floats of one worker's scratch block: Winograd's transforms where it applies, else the
    /// im2col block or band (with `pooled`, at least the band and the block's output rows after
    /// it); in training also what the backward pass needs (`trainingColumnBlockFloats`).
    func columnBlockFloats(training: Bool, pooled: Bool) -> Int {
        let forward = WinogradConvolution.applies(to: self, training: training) ? WinogradConvolution(conv: self).blockFloats
            : max(columnBlockFloats, pooled ? pooledRowsOffset + pooledBlockRows * plan.output.width * filters : 0)
        return training ? max(forward, trainingColumnBlockFloats) : forward
    }

    /// Where a block's output rows start in the worker's scratch block (after the band).
    var pooledRowsOffset: Int { (columnBlockFloats + 15) / 16 * 16 }

    /// y[n, oy/2, ox/2, f] = max over the 2×2 window of `rows`, the output rows `outputRows`
    /// (numbered across the batch, g = n·Ho + oy, starting at an even row; Wo × F floats each);
    /// `winners` (shaped as y), when given, the first maximum's place in its window (0…3).
    func storePooledRows(_ rows: UnsafePointer<Float>, outputRows: Range<Int>, into y: UnsafeMutablePointer<Float>,
                         winners: UnsafeMutablePointer<Float>?) {
        let ho = plan.output.height, wo = plan.output.width, f = filters, rowFloats = wo * f
        let pooledRow = (wo / 2) * f
        for pair in stride(from: outputRows.lowerBound, to: outputRows.upperBound, by: 2) {
            let top = rows + (pair - outputRows.lowerBound) * rowFloats, bottom = top + rowFloats
            let pooledRowStart = (pair / ho * (ho / 2) + pair % ho / 2) * pooledRow
            for px in 0..<wo / 2 {
                let (a, b) = (top + 2 * px * f, bottom + 2 * px * f), at = pooledRowStart + px * f
                var k = 0
                while k + 16 <= f {
                    // `WindowMaximum`'s rule, written out: through that struct this loop measured
                    // 2–5% slower one-thread inference (the nested function was not inlined).
                    var best = SIMD16<Float>(repeating: -.infinity), winner = SIMD16<Float>()
                    func take(_ value: SIMD16<Float>, _ place: Float) {
                        let wins = value .> best
                        best.replace(with: value, where: wins)
                        if winners != nil { winner.replace(with: SIMD16(repeating: place), where: wins) }
                    }
                    take(load16(a + k), 0); take(load16(a + (f + k)), 1); take(load16(b + k), 2); take(load16(b + (f + k)), 3)
                    store16(best, y + (at + k))
                    if let winners { store16(winner, winners + (at + k)) }
                    k += 16
                }
                while k < f {
                    var best = -Float.infinity, winner: Float = 0
                    func take(_ value: Float, _ place: Float) { if value > best { (best, winner) = (value, place) } }
                    take(a[k], 0); take(a[f + k], 1); take(b[k], 2); take(b[f + k], 3)
                    y[at + k] = best
                    winners?[at + k] = winner
                    k += 1
                }
            }
        }
    }
}
