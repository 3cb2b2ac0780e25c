/// Where the micro-kernel finds op(A): each tile's row pointers (`TileRows`) and each K block's
/// depth as runs (`DepthRun`). Two layouts: a stored matrix (`StridedRows`) and a convolution's
/// im2col matrix read in place from its input (`WindowRows`), never written out.
protocol TileSource {
    /// The most runs `runs(from:depth:into:)` writes for a block of `depth`.
    func maximumRuns(depth: Int) -> Int
    /// Writes the runs of K block p0 ..< p0 + depth to `runs`; returns how many.
    func runs(from p0: Int, depth: Int, into runs: UnsafeMutablePointer<DepthRun>) -> Int
    /// The rows of tile rows i0 ..< i0 + valid (and the repeats past them).
    func tileRows(_ i0: Int, valid: Int) -> TileRows
}

/// A stored A: A(i, p) at `a[i * rowStride + p * depthStride]` (row-major: (lda, 1); transposed
/// storage: (1, lda)). One run per K block.
struct StridedRows: TileSource {
    let a: UnsafePointer<Float>
    let rowStride: Int, depthStride: Int

    @inline(__always) func maximumRuns(depth: Int) -> Int { 1 }

    @inline(__always)
    func runs(from p0: Int, depth: Int, into runs: UnsafeMutablePointer<DepthRun>) -> Int {
        runs[0] = DepthRun(start: p0 * depthStride, count: depth, step: depthStride)
        return 1
    }

    @inline(__always)
    func tileRows(_ i0: Int, valid: Int) -> TileRows {
        let base = a + i0 * rowStride
        return TileRows(valid: valid) { base + $0 * rowStride }
    }
}

/// The im2col matrix of a convolution, read where it lies: A(i, p) with p = (tap t, channel c),
/// t = p / channels, is at `a[rowOffsets[i] + tapOffsets[t] + c]` — `rowOffsets[i]` the offset of
/// row i's window origin (its top-left tap), `tapOffsets[t]` that of tap t from the origin. One
/// run per stretch of taps a K block touches that lie back to back (a block may start or end
/// inside a tap): the kw taps of a window row of an undilated convolution are kw·C contiguous
/// floats, so a 3×3 window on an RGB image is 3 runs of 9 rather than 9 of 3 (the micro-kernel's
/// loop over a run's steps is unrolled by 4, and a run of 3 only took its remainder path).
public struct WindowRows: TileSource {
    let a: UnsafePointer<Float>
    let rowOffsets: UnsafePointer<Int>
    let tapOffsets: UnsafePointer<Int>
    let taps: Int
    let channels: Int

    /// `a`: the input (typically a zero-padded band of it); `rowOffsets`: one per row of A;
    /// `tapOffsets`: one per tap, in the order of A's columns (K = taps × channels).
    public init(a: UnsafePointer<Float>, rowOffsets: UnsafePointer<Int>, tapOffsets: UnsafePointer<Int>, taps: Int, channels: Int) {
        (self.a, self.rowOffsets, self.tapOffsets, self.taps, self.channels) = (a, rowOffsets, tapOffsets, taps, channels)
    }

    @inline(__always) func maximumRuns(depth: Int) -> Int { min(taps, depth / channels + 2) }

    @inline(__always)
    func runs(from p0: Int, depth: Int, into runs: UnsafeMutablePointer<DepthRun>) -> Int {
        var p = p0, count = 0
        let end = p0 + depth
        while p < end {
            let tap = p / channels, channel = p - tap * channels
            let length = min(channels - channel, end - p), start = tapOffsets[tap] + channel
            if count > 0 && runs[count - 1].start + runs[count - 1].count == start {
                runs[count - 1].count += length
            } else {
                runs[count] = DepthRun(start: start, count: length, step: 1)
                count += 1
            }
            p += length
        }
        return count
    }

    @inline(__always)
    func tileRows(_ i0: Int, valid: Int) -> TileRows {
        let rows = rowOffsets + i0
        return TileRows(valid: valid) { a + rows[$0] }
    }
}

/// The transpose of a convolution's im2col matrix read where it lies, for the weight gradient
/// dW = colsᵀ · dy: A(i, p) = cols(p, i), i = (tap t, channel c) the row (t = i / channels), p
/// the pixel, at `a[rowOffsets[p] + tapOffsets[t] + c]` (the offsets of `WindowRows`). A tile's
/// rows are 8 neighbouring (tap, channel) entries of every window; a K block's depth is its
/// pixels, one run per stretch of pixels whose windows lie equally far apart (an output row's).
struct TransposedWindowRows: TileSource {
    let windows: WindowRows

    @inline(__always) func maximumRuns(depth: Int) -> Int { depth }

    @inline(__always)
    func runs(from p0: Int, depth: Int, into runs: UnsafeMutablePointer<DepthRun>) -> Int {
        let offsets = windows.rowOffsets
        var p = p0, count = 0
        let end = p0 + depth
        while p < end {
            // The run covers pixels p ..< q, each window `step` floats past the one before.
            var q = p + 1, step = 1
            if q < end {
                step = offsets[q] - offsets[p]
                while q < end && offsets[q] - offsets[q - 1] == step { q += 1 }
            }
            runs[count] = DepthRun(start: offsets[p], count: q - p, step: step)
            count += 1
            p = q
        }
        return count
    }

    @inline(__always)
    func tileRows(_ i0: Int, valid: Int) -> TileRows {
        let channels = windows.channels, taps = windows.tapOffsets, a = windows.a
        return TileRows(valid: valid) { r in
            let i = i0 + r, t = i / channels
            return a + (taps[t] + i - t * channels)
        }
    }
}
