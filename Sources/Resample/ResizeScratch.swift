/// Buffers and coefficient tables that one thread reuses across resizes, so that resizing a
/// stream of images allocates nothing once the sizes repeat. Not thread-safe: give each worker
/// thread its own.
public final class ResizeScratch {
    /// Coefficient tables by (in size, out size, method); a data set resized to a few sizes
    /// keeps only a few.
    private var tables: [AxisKey: AxisWeights] = [:]
    /// Rows after the horizontal 8-bit pass.
    let bytes = GrowableBuffer<UInt8>()
    /// Copies of the last input rows with slack after them (see `forRowsWithSlack`).
    let slack = GrowableBuffer<UInt8>()
    /// Float rows of the float passes.
    let floats = GrowableBuffer<Float>()

    public init() {}

    /// The weights for one axis, computed on first use.
    func weights(inSize: Int, outSize: Int, method: ResizeMethod) -> AxisWeights {
        let key = AxisKey(inSize: inSize, outSize: outSize, method: method)
        if let table = tables[key] { return table }
        let table = AxisWeights(inSize: inSize, outSize: outSize, method: method)
        tables[key] = table
        return table
    }
}

/// A buffer that grows to the largest size asked for and is then reused. Its contents are
/// valid until the next `callAsFunction`.
final class GrowableBuffer<Element> {
    private var storage = UnsafeMutablePointer<Element>.allocate(capacity: 0)
    private var capacity = 0

    deinit { storage.deallocate() }

    /// At least `count` elements (uninitialised on growth).
    func callAsFunction(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            storage.deallocate()
            capacity = count
            storage = .allocate(capacity: count)
        }
        return storage
    }
}

/// Calls `pass(rows, rowCount, firstOutputRow)` over the source rows `rows` (of `totalRows`,
/// `stride` bytes each) so that at least 16 readable bytes follow every row `pass` sees: rows
/// too close to the end of the image come from a padded copy in `scratch.slack`. The 16-byte
/// loads of the horizontal passes may read that far past a window.
func forRowsWithSlack(_ src: UnsafePointer<UInt8>, stride: Int, rows: Range<Int>, totalRows: Int,
                      scratch: ResizeScratch, _ pass: (UnsafePointer<UInt8>, Int, Int) -> Void) {
    let bytesAfter = (totalRows - rows.upperBound) * stride
    let tail = bytesAfter >= 16 ? 0 : min(rows.count, (16 - bytesAfter + stride - 1) / stride)
    let direct = rows.count - tail
    if direct > 0 { pass(src + rows.lowerBound * stride, direct, 0) }
    if tail > 0 {
        let copy = scratch.slack(tail * stride + 16)
        copy.update(from: src + (rows.upperBound - tail) * stride, count: tail * stride)
        (copy + tail * stride).update(repeating: 0, count: 16)
        pass(copy, tail, direct)
    }
}
