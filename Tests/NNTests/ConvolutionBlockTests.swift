import Kernels
import SeededRandom
import Testing
@testable import NN

/// The blocked convolution (im2col in row blocks, weight gradients summed per group of images)
/// against a direct convolution in Double, on shapes that span several blocks and groups, and
/// bit-identical at 1 and 2 threads.
@Suite(.serialized) struct ConvolutionBlockTests {
    /// y, dW, db and dx of one layer on random x, W, b and dy.
    struct Outputs: Equatable {
        var y: [Float], dWeight: [Float], dBias: [Float], dx: [Float]
    }

    func random(_ count: Int, _ generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in generator.uniform(limit: 2) - 1 }
    }

    /// Random x (batch images), W and b for `conv`, drawn in that order from `generator`.
    func randomLayer(_ conv: Convolution, _ generator: inout SplitMix64) -> (x: [Float], weight: [Float], bias: [Float]) {
        let x = random(conv.batch * conv.plan.input.count, &generator)
        return (x, random(conv.depth * conv.filters, &generator), random(conv.filters, &generator))
    }

    /// `body` with `Parallel.threadCount` set to `threads`.
    func withThreads<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        return try body()
    }

    func run(_ plan: LayerPlan, batch: Int, threads: Int) -> Outputs {
        withThreads(threads) { runOnce(plan, batch: batch) }
    }

    private func runOnce(_ plan: LayerPlan, batch: Int) -> Outputs {
        let conv = Convolution(plan: plan, batch: batch)
        var generator = SplitMix64(seed: 5)
        let (x, weight, bias) = randomLayer(conv, &generator)
        let dy = random(batch * plan.output.count, &generator)
        let ws = Workspace(plans: [plan], capacity: batch, training: true)
        var out = Outputs(y: .init(repeating: 0, count: dy.count), dWeight: .init(repeating: 0, count: weight.count),
                          dBias: .init(repeating: 0, count: bias.count), dx: .init(repeating: 0, count: x.count))
        conv.forward(x: x, weight: weight, bias: bias, y: &out.y, clamp: .none, scratch: ws.scratch)
        conv.backward(x: x, weight: weight, dy: dy, dWeight: &out.dWeight, dBias: &out.dBias, dx: &out.dx, scratch: ws.scratch)
        return out
    }

    /// The same layer computed directly from the definition, in Double.
    func direct(_ plan: LayerPlan, batch: Int) -> Outputs {
        let conv = Convolution(plan: plan, batch: batch)
        var generator = SplitMix64(seed: 5)
        let x = random(batch * plan.input.count, &generator)
        let weight = random(conv.depth * conv.filters, &generator), bias = random(conv.filters, &generator)
        let dy = random(batch * plan.output.count, &generator)
        let (rows, columns) = (plan.rows!, plan.columns!)
        let (h, w, c, f) = (plan.input.height, plan.input.width, plan.input.channels, conv.filters)
        var y = [Double](repeating: 0, count: dy.count), dW = [Double](repeating: 0, count: weight.count)
        var dB = [Double](repeating: 0, count: f), dx = [Double](repeating: 0, count: x.count)
        for n in 0..<batch {
            for ho in 0..<rows.output {
                for wo in 0..<columns.output {
                    let out = ((n * rows.output + ho) * columns.output + wo) * f
                    for o in 0..<f {
                        y[out + o] += Double(bias[o])
                        dB[o] += Double(dy[out + o])
                    }
                    for i in 0..<rows.taps {
                        for j in 0..<columns.taps {
                            let hi = ho * rows.stride - rows.padBefore + i * rows.dilation
                            let wi = wo * columns.stride - columns.padBefore + j * columns.dilation
                            guard (0..<h).contains(hi), (0..<w).contains(wi) else { continue }
                            // Group q: input channels q·cg..<(q+1)·cg, filters q·fg..<(q+1)·fg.
                            let (cg, fg) = (c / conv.groups, f / conv.groups)
                            for q in 0..<conv.groups {
                                for k in 0..<cg {
                                    let input = ((n * h + hi) * w + wi) * c + q * cg + k
                                    let tap = ((i * columns.taps + j) * cg + k) * f
                                    for o in q * fg..<(q + 1) * fg {
                                        y[out + o] += Double(x[input]) * Double(weight[tap + o])
                                        dW[tap + o] += Double(x[input]) * Double(dy[out + o])
                                        dx[input] += Double(weight[tap + o]) * Double(dy[out + o])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Outputs(y: y.map(Float.init), dWeight: dW.map(Float.init), dBias: dB.map(Float.init), dx: dx.map(Float.init))
    }

    func maxRelativeError(_ a: [Float], _ b: [Float]) -> Float {
        let scale = max(1, b.map(abs).max() ?? 1)
        return zip(a, b).map { abs($0 - $1) }.max()! / scale
    }

    /// Plain, grouped (3 groups; 9 groups of 2 filters) and depthwise (own kernel: strided, with
    /// per-side padding) convolutions, and a deep one (13×13: K = 1521, so the forward pass's
    /// 64-row blocks are not the backward pass's 40-row blocks).
    @Test(arguments: ["conv 3x3 16", "conv 3x3 16 stride 2", "conv 5x5 8 dilation 2", "conv 1x1 8", "conv 3x3 9 groups 3",
                      "conv 3x3 18 groups 9 dilation 2", "conv 3x3 9 groups 9 stride 2", "conv 3x3 9 groups 9 pad 1,0,2,1",
                      "conv 13x13 4 pad 6"])
    func matchesTheDirectConvolutionAcrossBlocksAndGroups(_ layer: String) throws {
        // 11 images of 21×21×9: K = 81 gives 808-row blocks, so M = 4851 (3×3, stride 1) spans
        // 7 blocks; 11 images make 8 gradient groups of 1 or 2 images.
        let plan = try ModelSpec(parsing: [layer]).plan(height: 21, width: 21, channels: 9)[0]
        let batch = 11
        let conv = Convolution(plan: plan, batch: batch)
        #expect(conv.isPointwise || conv.groups > 1 || batch * conv.pixels > conv.forwardRowsPerBlock, "the shape must span several blocks")
        let one = run(plan, batch: batch, threads: 1)
        let expected = direct(plan, batch: batch)
        #expect(maxRelativeError(one.y, expected.y) < 1e-5)
        #expect(maxRelativeError(one.dWeight, expected.dWeight) < 1e-5)
        #expect(maxRelativeError(one.dBias, expected.dBias) < 1e-5)
        #expect(maxRelativeError(one.dx, expected.dx) < 1e-5)
        #expect(run(plan, batch: batch, threads: 2) == one, "the result must not depend on the thread count")
    }

    /// The depthwise kernel (`DepthwiseConvolution`: 3×3 windows inside the input 8 channels at a
    /// time with the weights held over a row, the border pixels and the channels past the last
    /// multiple of 8 one pixel at a time) against the direct convolution in Double: 24 channels
    /// (3 blocks of 8 inside, 16 + 8 at the border), 37 (4 blocks and 5 left over), strided,
    /// dilated, asymmetric padding, a 5×5 window (no interior loop), and bit-identical at 1 and
    /// 2 threads.
    @Test(arguments: [("conv 3x3 24 groups 24", 24), ("conv 3x3 37 groups 37", 37), ("conv 3x3 24 groups 24 stride 2", 24),
                      ("conv 3x3 16 groups 16 dilation 2", 16), ("conv 3x3 40 groups 40 pad 1,0,2,1", 40),
                      ("conv 5x5 24 groups 24 stride 2", 24)])
    func depthwiseMatchesTheDirectConvolution(_ layer: String, _ channels: Int) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: 13, width: 11, channels: channels)[0]
        #expect(Convolution(plan: plan, batch: 1).isDepthwise)
        let batch = 3
        let one = run(plan, batch: batch, threads: 1)
        let expected = direct(plan, batch: batch)
        #expect(maxRelativeError(one.y, expected.y) < 1e-5)
        #expect(maxRelativeError(one.dWeight, expected.dWeight) < 1e-5)
        #expect(maxRelativeError(one.dx, expected.dx) < 1e-5)
        #expect(run(plan, batch: batch, threads: 2) == one, "the result must not depend on the thread count")
    }

    /// The forward pass that reads windows in place (`forwardWindows`) against im2col of the
    /// whole batch multiplied by the packed weights: the same floats bit for bit, on odd,
    /// non-square inputs, strided, dilated, asymmetric padding, ceil windows that read past the
    /// input, a 2×2 kernel whose windows drop the last column, 3 to 37 channels, blocks of whole
    /// output rows that span several images (a 4×4 map: many images per block), on 1 and 2 threads.
    @Test(arguments: [("conv 3x3 16", 9, 23), ("conv 3x3 16 stride 2", 9, 23), ("conv 3x3 40 stride 2 pad 1 ceil", 37, 23),
                      ("conv 5x5 8 dilation 2", 4, 23), ("conv 2x2 8 stride 2 pad valid", 9, 23), ("conv 1x3 8 pad 0,1,0,2", 5, 23),
                      ("conv 7x7 33 stride 2 pad 3", 4, 23), ("conv 3x3 8 pad 2,0,1,3", 16, 23), ("conv 3x3 128", 64, 4), ("conv 3x3 32", 3, 23)])
    func windowsReadInPlaceEqualTheIm2colProductBitForBit(_ layer: String, _ channels: Int, _ height: Int) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: height, width: height * 5 / 6, channels: channels)[0]
        let outputRows = try #require(Convolution(plan: plan, batch: 1).windowBlockRows, "\(layer) reads its windows in place")
        let batch = max(5, 2 * outputRows / plan.output.height + 2)
        let conv = Convolution(plan: plan, batch: batch)
        #expect(conv.windowBlockRows == outputRows && outputRows < plan.output.height * batch / 2, "several blocks")
        #expect(outputRows % plan.output.height != 0, "blocks that start or end inside an image")
        var generator = SplitMix64(seed: 9)
        let x = random(batch * plan.input.count, &generator)
        let weight = random(conv.depth * conv.filters, &generator), bias = random(conv.filters, &generator)
        let m = batch * conv.pixels
        var cols = [Float](repeating: .nan, count: m * conv.depth)
        conv.im2col(x: x, rows: 0..<m, group: 0, into: &cols)
        var expected = [Float](repeating: .nan, count: m * conv.filters)
        bias.withUnsafeBufferPointer { b in
            withPackedMatrix(k: conv.depth, n: conv.filters, b: weight, ldb: conv.filters) {
                $0.multiply(m: m, a: cols, lda: conv.depth, c: &expected, ldc: conv.filters, epilogue: .biasReLU(b.baseAddress!))
            }
        }
        for threads in [1, 2] {
            let saved = Parallel.threadCount
            Parallel.threadCount = threads
            defer { Parallel.threadCount = saved }
            let ws = Workspace(plans: [plan], capacity: batch, training: false)
            var y = [Float](repeating: .nan, count: m * conv.filters)
            // Called directly: `forward` takes Winograd's path instead for the 64-channel layer.
            bias.withUnsafeBufferPointer { b in
                withPackedMatrix(k: conv.depth, n: conv.filters, b: weight, ldb: conv.filters) {
                    conv.forwardWindows(x: x, packedWeight: $0, epilogue: .biasReLU(b.baseAddress!), y: &y, outputRows: outputRows,
                                        scratch: ws.scratch)
                }
            }
            #expect(y == expected, "\(layer) on \(threads) threads")
        }
    }

    /// The backward pass that reads windows in place (dW from bands of x; dx, for stride 1, as
    /// conv′'s forward pass over dy with W′) against the direct convolution in Double, on the
    /// geometries of the forward test above, with the path each takes checked: stride 1 with
    /// symmetric, asymmetric and no padding, dilation, 3 channels, a map smaller than a block;
    /// strided and ceil layers take the column path for dx; padding beyond the window's reach
    /// (p′ < 0) too. None of them is one Winograd applies to (WinogradTests covers those).
    /// Bit-identical on 1 and 2 threads.
    @Test(arguments: [("conv 3x3 16", 9, 23, true), ("conv 3x3 8 pad 2,0,1,3", 16, 23, true), ("conv 1x3 8 pad 0,1,0,2", 5, 23, true),
                      ("conv 5x5 8 dilation 2", 4, 23, true), ("conv 3x3 32", 3, 23, true), ("conv 3x3 128", 12, 4, true),
                      ("conv 3x3 8 pad valid", 6, 11, true), ("conv 3x3 16 stride 2", 9, 23, false),
                      ("conv 3x3 40 stride 2 pad 1 ceil", 37, 23, false), ("conv 3x3 8 pad 3", 5, 9, false)])
    func backwardThroughWindowsMatchesTheDirectConvolution(_ layer: String, _ channels: Int, _ height: Int,
                                                           _ convolvesBack: Bool) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: height, width: height * 5 / 6, channels: channels)[0]
        let batch = 11
        let conv = Convolution(plan: plan, batch: batch)
        #expect(conv.windowBlockRows != nil && !WinogradConvolution.applies(to: conv), "\(layer): dW reads windows in place")
        #expect(!(conv.inputGradientConvolution.map(WinogradConvolution.applies) ?? false), "\(layer): conv′ reads windows in place")
        #expect((conv.inputGradientConvolution != nil) == convolvesBack, "\(layer): dx by conv′ or by col2im")
        let one = run(plan, batch: batch, threads: 1)
        let expected = direct(plan, batch: batch)
        #expect(maxRelativeError(one.dWeight, expected.dWeight) < 1e-5, "\(layer) dW")
        #expect(maxRelativeError(one.dx, expected.dx) < 1e-5, "\(layer) dx")
        #expect(maxRelativeError(one.dBias, expected.dBias) < 1e-5, "\(layer) db")
        #expect(run(plan, batch: batch, threads: 2) == one, "\(layer): the result must not depend on the thread count")
    }
}
