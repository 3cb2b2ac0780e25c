import Kernels

// Legend for the kernel files: N = batch, H×W = input height×width, C = input channels,
// Ho×Wo = output height×width, F = output channels (filters), K = kh·kw·C (im2col depth),
// M = N·Ho·Wo (rows of the im2col matrix). Tensors are NHWC and contiguous.

/// Per-step scratch memory shared by the layers: each worker's im2col block, a convolution's
/// per-group weight-gradient partials, and per-chunk partial sums. Owned by a `Workspace`;
/// layers only borrow it during one call.
///
/// Layers run their loops through `forParts`/`forChunks`: the work is cut into chunks that the
/// workers take dynamically (`Parallel.forChunks`), and what a chunk computes never depends on
/// which worker takes it, so results are the same on 1 or 2 threads and from run to run.
struct Scratch {
    /// `threads` blocks of `columnBlockFloats`: worker w's im2col (or dcols) block.
    let columns: UnsafeMutablePointer<Float>
    let columnBlockFloats: Int
    /// `Convolution.gradientGroups` blocks of `gradientGroupFloats`: dW (K × F) summed over one
    /// group of images, before the groups are added in order (training only).
    let gradientPartials: UnsafeMutablePointer<Float>
    let gradientGroupFloats: Int
    /// `sumChunks` × `partialWidth` Double accumulators (bias, batch-norm and pooling sums).
    let partials: UnsafeMutablePointer<Double>
    let partialWidth: Int
    /// The most workers a loop may use (the workspace was made for this many threads).
    let threads: Int

    /// Chunks per worker of a `forParts` loop. With 8, a worker delayed by another process on
    /// its core holds the other up for at most about 1/16 of a layer's work at the end of the
    /// loop (with fixed halves, for up to half of it); a chunk is still large (a 64-image batch
    /// of 32×32×32 activations gives chunks of 128 Ki floats), so taking one costs nothing.
    static let chunksPerWorker = 8
    /// The fixed number of chunks a per-column sum (`sumPerColumn`) is cut into, each summed
    /// into its own Double partial, the partials then added in order: the same chunks whatever
    /// the thread count or the timing.
    static let sumChunks = 16

    /// Worker w's im2col block.
    func columnBlock(_ worker: Int) -> UnsafeMutablePointer<Float> { columns + worker &* columnBlockFloats }

    /// Runs `body(worker, range)` over `0..<count` cut into consecutive near-equal ranges,
    /// `chunksPerWorker` per worker (one range, on the calling thread, with one worker), that the
    /// workers take dynamically. The ranges depend on the thread count: only for loops whose
    /// items are independent (each item's result is computed by one chunk, alone).
    func forParts(_ count: Int, _ body: (_ worker: Int, _ range: Range<Int>) -> Void) {
        let workers = Parallel.workers(for: count, limit: threads)
        // With more than one worker, chunks ≥ workers: forChunks runs them on the same `workers`.
        let chunks = workers == 1 ? 1 : min(count, workers * Scratch.chunksPerWorker)
        Parallel.forChunks(chunks, maxWorkers: threads) { worker, chunk in
            body(worker, (count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }

    /// Runs `body(worker, item)` for every item of `0..<count`, one item per chunk, taken
    /// dynamically: for heavy items (a convolution's row blocks, its image groups).
    func forChunks(_ count: Int, _ body: (_ worker: Int, _ item: Int) -> Void) {
        Parallel.forChunks(count, maxWorkers: threads, body)
    }

    /// Runs the chunks of up to three independent loops as one loop: all of `first`'s, then
    /// `second`'s, then `third`'s, taken dynamically (`Parallel.forChunks`). A backward pass runs
    /// dW's image groups, dx's blocks and db's sums this way: a thread that finishes the last
    /// (large) dW group early takes dx's and db's chunks instead of waiting at a barrier, and two
    /// barriers go. What a chunk computes is its loop's alone, so results are those of three loops.
    func run(_ first: ChunkedLoop?, _ second: ChunkedLoop? = nil, _ third: ChunkedLoop? = nil) {
        let a = first?.chunks ?? 0, b = second?.chunks ?? 0, c = third?.chunks ?? 0
        Parallel.forChunks(a + b + c, maxWorkers: threads) { worker, chunk in
            if chunk < a {
                first!.body(worker, chunk)
            } else if chunk < a + b {
                second!.body(worker, chunk - a)
            } else {
                third!.body(worker, chunk - a - b)
            }
        }
    }

    /// sums[c] = Σ_{chunk < chunks} partials[chunk, c], the reduction after a `sumPerColumn` pass.
    func sumPartials(chunks: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
        for c in 0..<width {
            var total = 0.0
            for chunk in 0..<chunks { total += partials[chunk &* partialWidth &+ c] }
            sums[c] = Float(total)
        }
    }
}

/// A parallel loop not yet run: `chunks` chunks and what each computes (`body(worker, chunk)`),
/// for `Scratch.run`, which may run it together with other loops.
struct ChunkedLoop {
    let chunks: Int
    let body: (_ worker: Int, _ chunk: Int) -> Void
}
