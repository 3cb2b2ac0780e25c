/// A 2×2, stride-2, unpadded max pool taken in an evaluation's store
/// (`ExecutionSchedule.pooledInto`): the convolution writes the pool's output (Ho/2 × Wo/2, or
/// the pool's rounding of odd maps) and never its own. Winograd's F(2×2, 3×3) takes the maximum
/// of each 2×2 output tile (`WinogradConvolution`); the forward pass that reads windows in
/// place (`forwardWindows`) multiplies a block of output rows into the worker's scratch and
/// pools its pairs of rows from there. Either way the maximum is taken as `Pooling.maxForward`
/// takes it (from −∞, strict >, in window order), so the output is the pool's bit for bit.
extension Convolution {
    /// Whether an evaluation can take such a pool in its store: where Winograd applies (any map
    /// size), or where the forward pass reads windows in place and the output has even height
    /// and width (so that blocks of an even number of rows start at pairs).
    var takesMaxPoolInStore: Bool {
        if WinogradConvolution.applies(to: self) { return true }
        guard let outputRows = windowBlockRows else { return false }
        return outputRows >= 2 && plan.output.height % 2 == 0 && plan.output.width % 2 == 0
    }

    /// Output rows per block when the pool is taken in the store: `windowBlockRows`, made even.
    var pooledBlockRows: Int { windowBlockRows! / 2 * 2 }

    /// Floats of one worker's scratch block in an evaluation: Winograd's transforms where it
    /// applies, else the im2col block or band, and with `pooled` the block's output rows after it.
    func evaluationColumnBlockFloats(pooled: Bool) -> Int {
        if WinogradConvolution.applies(to: self) { return WinogradConvolution(conv: self).blockFloats }
        return pooled ? pooledRowsOffset + pooledBlockRows * plan.output.width * filters : columnBlockFloats
    }

    /// Where a block's output rows start in the worker's scratch block (after the band).
    var pooledRowsOffset: Int { (columnBlockFloats + 15) / 16 * 16 }

    /// y[n, oy/2, ox/2, f] = max over the 2×2 window of `rows`, the output rows `outputRows`
    /// (numbered across the batch, g = n·Ho + oy, starting at an even row; Wo × F floats each).
    func storePooledRows(_ rows: UnsafePointer<Float>, outputRows: Range<Int>, into y: UnsafeMutablePointer<Float>) {
        let ho = plan.output.height, wo = plan.output.width, f = filters, rowFloats = wo * f
        let pooledRow = (wo / 2) * f
        for pair in stride(from: outputRows.lowerBound, to: outputRows.upperBound, by: 2) {
            let top = rows + (pair - outputRows.lowerBound) * rowFloats, bottom = top + rowFloats
            let out = y + (pair / ho * (ho / 2) + pair % ho / 2) * pooledRow
            for px in 0..<wo / 2 {
                let (a, b) = (top + 2 * px * f, bottom + 2 * px * f)
                var k = 0
                while k + 16 <= f {
                    var best = SIMD16<Float>(repeating: -.infinity)
                    func take(_ value: SIMD16<Float>) { best.replace(with: value, where: value .> best) }
                    take(load16(a + k)); take(load16(a + (f + k))); take(load16(b + k)); take(load16(b + (f + k)))
                    store16(best, out + (px * f + k))
                    k += 16
                }
                while k < f {
                    var best = -Float.infinity
                    func take(_ value: Float) { if value > best { best = value } }
                    take(a[k]); take(a[f + k]); take(b[k]); take(b[f + k])
                    out[px * f + k] = best
                    k += 1
                }
            }
        }
    }
}
