/// Offsets for tensors that live over intervals of a schedule's steps, packed into one block by
/// liveness, as ggml's graph allocator does (`ggml-alloc.c`): steps are visited in order; at
/// each step the tensors born there take the best-fitting free block (the smallest that fits;
/// the block grows at its end when none does), then the tensors whose last step it is give their
/// block back, merged with free neighbours. Peak memory follows the widest point of the
/// schedule, not its length.
struct BufferPlan {
    /// A tensor of `floats` values, written first at step `birth` and read last at step `death`.
    struct Interval {
        var floats: Int
        var birth: Int
        var death: Int
    }

    /// offsets[t]: tensor t's first float, from the start of the block (a multiple of 16 floats).
    let offsets: [Int]
    /// The block's size in floats.
    let floats: Int

    init(_ intervals: [Interval]) {
        var offsets = [Int](repeating: 0, count: intervals.count)
        var free: [(offset: Int, floats: Int)] = []   // sorted by offset, no two adjacent
        var end = 0
        let steps = intervals.map(\.birth) + intervals.map(\.death)
        let first = steps.min() ?? 0, last = steps.max() ?? 0
        let aligned = intervals.map { ($0.floats + 15) / 16 * 16 }
        for step in stride(from: first, through: last, by: 1) {
            for t in intervals.indices where intervals[t].birth == step && aligned[t] > 0 {
                let size = aligned[t]
                if let best = free.indices.filter({ free[$0].floats >= size }).min(by: { free[$0].floats < free[$1].floats }) {
                    offsets[t] = free[best].offset
                    free[best].offset += size
                    free[best].floats -= size
                    if free[best].floats == 0 { free.remove(at: best) }
                } else if let tail = free.last, tail.offset + tail.floats == end {
                    // The last free block ends the buffer: grow it instead of leaving it unused.
                    offsets[t] = tail.offset
                    end = tail.offset + size
                    free.removeLast()
                } else {
                    offsets[t] = end
                    end += size
                }
            }
            for t in intervals.indices where intervals[t].death == step && aligned[t] > 0 {
                BufferPlan.release(offset: offsets[t], floats: aligned[t], into: &free)
            }
        }
        self.offsets = offsets
        floats = end
    }

    /// Returns a block to the sorted free list, merged with the free blocks it touches.
    private static func release(offset: Int, floats: Int, into free: inout [(offset: Int, floats: Int)]) {
        var index = free.firstIndex { $0.offset > offset } ?? free.count
        free.insert((offset, floats), at: index)
        if index + 1 < free.count, free[index].offset + free[index].floats == free[index + 1].offset {
            free[index].floats += free[index + 1].floats
            free.remove(at: index + 1)
        }
        if index > 0, free[index - 1].offset + free[index - 1].floats == free[index].offset {
            free[index - 1].floats += free[index].floats
            free.remove(at: index)
            index -= 1
        }
    }
}
