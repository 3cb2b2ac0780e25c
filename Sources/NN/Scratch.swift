import Kernels

// Legend for the kernel files: N = batch, H×W = input height×width, C = input channels,
// Ho×Wo = output height×width, F = output channels (filters), K = kh·kw·C (im2col depth),
// M = N·Ho·Wo (rows of the im2col matrix). Tensors are NHWC and contiguous.

/// Per-step scratch memory shared by the layers: each thread's im2col block, a convolution's
/// per-group weight-gradient partials, and per-thread partial sums. Owned by a `Workspace`;
/// layers only borrow it during one call.
struct Scratch {
    /// `threads` blocks of `columnBlockFloats`: thread part p's im2col (or dcols) block.
    let columns: UnsafeMutablePointer<Float>
    let columnBlockFloats: Int
    /// `Convolution.gradientGroups` blocks of `gradientGroupFloats`: dW (K × F) summed over one
    /// group of images, before the groups are added in order (training only).
    let gradientPartials: UnsafeMutablePointer<Float>
    let gradientGroupFloats: Int
    /// `threads` × `partialWidth` Double accumulators (bias, batch-norm and pooling sums).
    let partials: UnsafeMutablePointer<Double>
    let partialWidth: Int
    let threads: Int

    /// The threads a parallel loop uses now.
    var threadsInUse: Int { max(1, min(threads, Parallel.threadCount)) }

    /// The number of parts to split `count` items into: at most the scratch's thread count.
    func parts(_ count: Int) -> Int { max(1, min(threadsInUse, count)) }

    /// Part `part`'s im2col block.
    func columnBlock(_ part: Int) -> UnsafeMutablePointer<Float> { columns + part &* columnBlockFloats }

    /// Runs `body(part, range)` over `parts(count)` near-equal contiguous ranges in parallel.
    func forParts(_ count: Int, _ body: (Int, Range<Int>) -> Void) {
        let parts = parts(count)
        Parallel.forEach(parts) { part in
            body(part, (count * part / parts)..<(count * (part + 1) / parts))
        }
    }

    /// sums[c] = Σ_{part < parts} partials[part, c], the reduction after a `forParts` pass.
    func sumPartials(parts: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
        for c in 0..<width {
            var total = 0.0
            for part in 0..<parts { total += partials[part &* partialWidth &+ c] }
            sums[c] = Float(total)
        }
    }
}
