/// Buffers and coefficient tables that one thread reuses across resizes, so that resizing a
/// stream of images allocates nothing once the sizes repeat. Not thread-safe: give each worker
/// thread its own.
public final class ResizeScratch {
    /// Coefficient tables by (in size, out size, method); a data set resized to a few sizes
    /// keeps only a few.
    private var tables: [AxisKey: AxisWeights] = [:]
    private var bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 0)
    private var byteCapacity = 0
    private var floats = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private var floatCapacity = 0

    public init() {}

    deinit {
        bytes.deallocate()
        floats.deallocate()
    }

    /// The weights for one axis, computed on first use.
    func weights(inSize: Int, outSize: Int, method: ResizeMethod) -> AxisWeights {
        let key = AxisKey(inSize: inSize, outSize: outSize, method: method)
        if let table = tables[key] { return table }
        let table = AxisWeights(inSize: inSize, outSize: outSize, method: method)
        tables[key] = table
        return table
    }

    /// At least `count` bytes, valid until the next call. The tail is padded by 64 bytes so that
    /// SIMD loads may read a vector past the last element.
    func byteBuffer(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count + 64 > byteCapacity {
            bytes.deallocate()
            byteCapacity = count + 64
            bytes = .allocate(capacity: byteCapacity)
            bytes.initialize(repeating: 0, count: byteCapacity)
        }
        return bytes
    }

    /// At least `count` floats, valid until the next call.
    func floatBuffer(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > floatCapacity {
            floats.deallocate()
            floatCapacity = count
            floats = .allocate(capacity: count)
        }
        return floats
    }
}
