import Foundation

/// B (K×N) rearranged into column panels for `MicroKernel`: panel `q` holds columns
/// 32q ..< 32q + 32 as K rows of 32 floats, so the kernel reads one aligned 128-byte row per step
/// of the depth and any K block of a panel is contiguous:
///
///     packed[q * K * 32 + p * 32 + j] = op(B)[p][32q + j]     (0 for 32q + j ≥ N)
///
/// Panels are 64-byte aligned (the buffer is, and K × 32 floats is a multiple of 64 bytes).
enum PackedPanels {
    /// Number of 32-column panels for N columns.
    @inline(__always)
    static func panelCount(columns n: Int) -> Int { (n + MicroKernel.columns - 1) / MicroKernel.columns }

    /// Floats needed to pack op(B) (K×N).
    @inline(__always)
    static func floatCount(depth k: Int, columns n: Int) -> Int { panelCount(columns: n) * k * MicroKernel.columns }

    /// Packs panels `panels` of op(B) (K×N) into `packed`, which points at the first of them.
    /// op(B) is B stored (K×N) with row stride `ldb`, or Bᵀ of B stored (N×K) when `transposed`.
    /// Does not validate its arguments.
    static func uncheckedPack(
        panels: Range<Int>, transposed: Bool, k: Int, n: Int,
        b: UnsafePointer<Float>, ldb: Int, into packed: UnsafeMutablePointer<Float>
    ) {
        let width = MicroKernel.columns
        if transposed {
            for q in panels {
                let panel = packed + (q - panels.lowerBound) * k * width
                let column0 = q * width
                let valid = min(width, n - column0)
                // Column j of the panel is row (column0 + j) of the stored Bᵀ: read it contiguously
                // along K and write it 128 bytes apart.
                for j in 0..<valid {
                    let source = b + (column0 + j) * ldb
                    for p in 0..<k { panel[p * width + j] = source[p] }
                }
                if valid < width {
                    for p in 0..<k { (panel + p * width + valid).update(repeating: 0, count: width - valid) }
                }
            }
        } else {
            // Row by row of B, the row's 32 floats for each panel in turn, so B is read in order.
            // Panel by panel (128 bytes of every row, `ldb` floats apart) missed the cache on
            // every row of a large B (ResNet-18's layer-4 weights, 4608 × 512, are 9.4 MB).
            for p in 0..<k {
                for q in panels {
                    let row = packed + (q - panels.lowerBound) * k * width + p * width
                    let column0 = q * width
                    let valid = min(width, n - column0)
                    row.update(from: b + p * ldb + column0, count: valid)
                    if valid < width { (row + valid).update(repeating: 0, count: width - valid) }
                }
            }
        }
    }
}

/// 64-byte aligned float storage that grows and is then reused: the GEMM packs B into one of
/// these per call, so a steady state with the same (or smaller) shapes allocates nothing.
final class PackBuffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        pointer = Self.allocate(self.capacity)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Makes room for at least `count` floats (contents are not kept).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        UnsafeMutableRawPointer(pointer).deallocate()
        capacity = count
        pointer = Self.allocate(count)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }
}

/// A lock-protected stack of `PackBuffer`s: each GEMM call borrows one for its duration, so
/// concurrent calls (e.g. from the NN engine's own worker threads) never share a buffer, and the
/// number of buffers is the largest number of calls ever in flight at once.
enum PackBufferPool {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [PackBuffer] = []

    /// Runs `body` with a buffer of at least `count` floats, then returns it to the pool.
    static func withBuffer<R>(count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        lock.lock()
        let buffer = idle.popLast() ?? PackBuffer(capacity: count)
        lock.unlock()
        buffer.reserve(count)
        defer {
            lock.lock()
            idle.append(buffer)
            lock.unlock()
        }
        return body(buffer.pointer)
    }
}
