import Kernels
import SeededRandom
import Testing
@testable import NN

/// Winograd's F(2×2, 3×3) in the evaluation forward pass against the direct convolution in
/// Double (ConvolutionBlockTests' `direct`): odd and even maps (a last tile half outside), same,
/// valid and asymmetric padding, channel and filter counts that are not multiples of 16, several
/// blocks (`WinogradConvolution.blockTiles`) across images; bit-identical on 1 and 2 threads and with the weights prepared once
/// (`evaluationWeights`, as `predict` passes them) or per call.
@Suite(.serialized) struct WinogradTests {
    let reference = ConvolutionBlockTests()

    @Test(arguments: [("conv 3x3 16", 16, 9), ("conv 3x3 40", 24, 14), ("conv 3x3 16 pad valid", 37, 13),
                      ("conv 3x3 32 pad 0,1,2,1", 16, 11), ("conv 3x3 17", 33, 8)])
    func matchesTheDirectConvolution(_ layer: String, _ channels: Int, _ size: Int) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: size, width: size + 3, channels: channels)[0]
        let batch = 13
        let conv = Convolution(plan: plan, batch: batch)
        #expect(WinogradConvolution.applies(to: conv))
        #expect(batch * WinogradConvolution(conv: conv).tilesPerImage > WinogradConvolution.blockTiles, "several blocks")
        var generator = SplitMix64(seed: 5)
        let (x, weight, bias) = reference.randomLayer(conv, &generator)
        func evaluate(threads: Int, prepared: Bool) -> [Float] { reference.withThreads(threads) {
            let ws = Workspace(plans: [plan], capacity: batch, training: false)
            var y = [Float](repeating: .nan, count: batch * plan.output.count)
            let packed = prepared ? weight.withUnsafeBufferPointer { conv.evaluationWeights($0.baseAddress!) } : nil
            conv.forward(x: x, weight: weight, bias: bias, y: &y, clamp: .none, scratch: ws.scratch, evaluation: true, packed: packed)
            return y
        } }
        let y = evaluate(threads: 1, prepared: false)
        // Inputs and weights in [−1, 1), K = 9·C ≤ 333 terms: the direct sums reach ~10; the
        // transforms add and subtract up to 9 products per term, so allow 2e-6 of the largest output.
        #expect(reference.maxRelativeError(y, reference.direct(plan, batch: batch).y) < 2e-6)
        #expect(evaluate(threads: 2, prepared: false) == y)
        #expect(evaluate(threads: 1, prepared: true) == y)
    }

    /// Training: the forward pass, dW (F(3×3, 2×2), Winograd+WeightGradient.swift) and dx (conv′'s
    /// forward pass, where Winograd applies to conv′ too) against the direct convolution in
    /// Double, on the geometries above (odd maps whose last tiles are half outside, valid and
    /// asymmetric padding, 33 and 37 channels; conv′ below 32 channels keeps the window path),
    /// with more images than `Convolution.gradientGroups` and several blocks per group;
    /// bit-identical on 1 and 2 threads.
    @Test(arguments: [("conv 3x3 32", 32, 9, true), ("conv 3x3 40", 48, 14, true), ("conv 3x3 16 pad valid", 37, 13, false),
                      ("conv 3x3 32 pad 0,1,2,1", 33, 11, true), ("conv 3x3 17", 33, 8, false)])
    func trainingMatchesTheDirectConvolution(_ layer: String, _ channels: Int, _ size: Int, _ dxByWinograd: Bool) throws {
        let plan = try ModelSpec(parsing: [layer]).plan(height: size, width: size + 3, channels: channels)[0]
        let batch = 40
        let conv = Convolution(plan: plan, batch: batch)
        let winograd = WinogradConvolution(conv: conv)
        #expect(WinogradConvolution.applies(to: conv, training: true), "\(layer): forward pass and dW by Winograd")
        #expect(conv.inputGradientConvolution.map { WinogradConvolution.applies(to: $0, training: true) } == dxByWinograd,
                "\(layer): dx by Winograd")
        #expect(batch / conv.imageGroups * winograd.tilesPerImage > WinogradConvolution.blockTiles, "several blocks per image group")
        let one = reference.run(plan, batch: batch, threads: 1)
        let expected = reference.direct(plan, batch: batch)
        #expect(reference.maxRelativeError(one.y, expected.y) < 2e-6, "\(layer) y")
        // dW sums 4·tiles·batch terms of up to ~10 per element: allow 1e-5 of the largest, as the
        // direct path's test does.
        #expect(reference.maxRelativeError(one.dWeight, expected.dWeight) < 1e-5, "\(layer) dW")
        #expect(reference.maxRelativeError(one.dx, expected.dx) < 1e-5, "\(layer) dx")
        #expect(reference.run(plan, batch: batch, threads: 2) == one, "\(layer): the result must not depend on the thread count")
    }

    /// Where it applies: 3×3, stride 1, undilated, ungrouped, ≥ 16 channels and filters, and at
    /// least C / 16 tiles per image (ResNet-18's 7×7×512 maps stay direct; the reference CNN's
    /// 4×4×64 layer at 16 px, 4 tiles, does not; 4×4×128 would not).
    @Test func appliesOnlyWhereItPays() throws {
        func applies(_ layer: String, channels: Int, size: Int) throws -> Bool {
            let plan = try ModelSpec(parsing: [layer]).plan(height: size, width: size, channels: channels)[0]
            return WinogradConvolution.applies(to: Convolution(plan: plan, batch: 1))
        }
        #expect(try applies("conv 3x3 64", channels: 64, size: 56))
        #expect(try applies("conv 3x3 256", channels: 256, size: 14))
        #expect(try !applies("conv 3x3 512", channels: 512, size: 7))
        #expect(try applies("conv 3x3 128", channels: 64, size: 4))
        #expect(try !applies("conv 3x3 128", channels: 128, size: 4))
        #expect(try !applies("conv 3x3 64 stride 2", channels: 64, size: 56))
        #expect(try !applies("conv 3x3 64 dilation 2", channels: 64, size: 56))
        #expect(try !applies("conv 3x3 64 groups 2", channels: 64, size: 56))
        #expect(try !applies("conv 5x5 64", channels: 64, size: 56))
        #expect(try !applies("conv 3x3 32", channels: 3, size: 56))
        #expect(try !applies("conv 3x3 8", channels: 32, size: 56))
        // In training, from 32 input channels (16-deep GEMMs measured slower than the direct path).
        let narrow = try ModelSpec(parsing: ["conv 3x3 64"]).plan(height: 16, width: 16, channels: 16)[0]
        #expect(WinogradConvolution.applies(to: Convolution(plan: narrow, batch: 1), training: false))
        #expect(!WinogradConvolution.applies(to: Convolution(plan: narrow, batch: 1), training: true))
        // GradientCheckTests' Winograd case: 32 → 32 channels at 4 × 4, and its conv′.
        let checked = try ModelSpec(parsing: ["conv 3x3 32"]).plan(height: 4, width: 4, channels: 32)[0]
        let checkedConv = Convolution(plan: checked, batch: 1)
        #expect(WinogradConvolution.applies(to: checkedConv, training: true))
        #expect(checkedConv.inputGradientConvolution.map { WinogradConvolution.applies(to: $0, training: true) } == true)
    }
}
