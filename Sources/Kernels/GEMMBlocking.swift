/// Cache blocking of the multiply (measured on Zen 5: 48 KB L1D, 1 MB L2 per core).
enum GEMMBlocking {
    /// The deepest K block (and the shallowest pass): K is cut into equal blocks no deeper than
    /// this, so that a block of one panel (≤ 48 KB) and 8 rows of A (≤ 12 KB) stay in L1/L2 while
    /// a tile is computed. 384 keeps a 3×3×32 convolution's K = 288 whole (cut 256 + 32 it ran
    /// about 10% slower: 16384×64×288, 169 vs 186 GFLOP/s per CPU-second).
    static let maxDepth = 384
    /// Panels per L2 block: 8 panels × 384 deep × 128 B = 384 KB of B reused by every row tile.
    static let panels = 8
    /// Floats of packed B per pass (1 MB: about each core's L2, which holds the pass its threads
    /// share). Passes of 512 KB or packing all of B at once measured the same within noise
    /// (dW 288×64×16384: 170, 173 and 169 GFLOP/s per CPU-second), but the whole of B needs up
    /// to K × N floats of buffer, and each pass costs two parallel dispatches.
    static let passFloats = 1 << 18
    /// Below this many multiply-adds (≈ 8 µs of one core) the calling thread does the work alone:
    /// waking a second thread costs about as much.
    static let parallelMinimum = 1 << 20

    /// Multiply-adds per chunk of row tiles the threads take (about 4 µs of one core at
    /// 130 GFLOP/s): small enough that a thread delayed by another process holds up the other
    /// for at most a few µs at the end of a multiply, large enough that taking a chunk (one
    /// atomic increment, ~0.1 µs) costs under 3%.
    static let chunkMultiplyAdds = 1 << 18

    /// Row tiles (8 rows) per chunk of an M×N×K multiply: about `chunkMultiplyAdds`, at least one.
    static func tilesPerChunk(n: Int, k: Int) -> Int {
        max(1, chunkMultiplyAdds / max(1, MicroKernel.rows * n * k))
    }

    /// Depth of each K block: K split into ⌈K / maxDepth⌉ equal blocks (288 stays whole, 576 → 2 × 288).
    static func depth(k: Int) -> Int {
        let blocks = (k + maxDepth - 1) / maxDepth
        return (k + blocks - 1) / blocks
    }
}
