import Testing
@testable import NN
import SeededRandom

/// Finite-difference checks of every layer's backward pass and of the loss. Each case is a small
/// network whose first layer is a convolution, so the checked layer's input gradient flows into
/// the first layer's weight gradient, and its own parameters are checked directly.
///
/// Tolerance: the kernels and the loss are float32; with a central difference step h = 1e-3 on a
/// loss near 2.3 the difference quotient carries about ±1e-4 of rounding noise, so each sampled
/// gradient must satisfy |fd − g| ≤ 3e-2·|g| + 3e-4. A wrong backward (missing term, wrong index,
/// transposed weight) misses by far more than that. A sample whose one-sided differences
/// disagree (a max-pool winner or ReLU sign flips within ±h: the loss has a kink there) is
/// skipped; at most a fifth of the samples may be.
@Suite struct GradientCheckTests {
    /// The first layer; cases whose per-side padding holds commas separate their layers with ";".
    static let lead = "conv 3x3 4, "

    static let cases: [(spec: String, size: Int)] = [
        ("conv 3x3 5, flatten", 5),
        ("conv 3x3 5 stride 2 pad valid ceil, relu, flatten", 8),
        ("conv 3x2 5 stride 2 pad 1, flatten", 7),
        ("conv 3x3 5 dilation 2, gap", 7),
        // 32 → 32 channels at 4 × 4: Winograd's forward pass (with the pool and its winners in its
        // store), dW and dx (WinogradTests.appliesOnlyWhereItPays checks that it applies).
        ("conv 3x3 32, conv 3x3 32, relu, maxpool 2, gap", 4),
        ("conv 1x1 6, gap", 4),
        ("conv 3x3 5 stride 2, gap", 9),
        ("relu, flatten", 4),
        ("maxpool 2, flatten", 6),
        ("maxpool 3 stride 2 pad 1 ceil, flatten", 7),
        ("maxpool 2 ceil, flatten", 5),
        // A ReLU read only by a max pool: the pool's backward applies its mask (disjoint windows
        // that tile the input, and overlapping ones).
        ("relu, maxpool 2, flatten", 6),
        ("relu, maxpool 3 stride 2 pad 1 ceil, flatten", 7),
        ("avgpool 2, flatten", 6),
        ("avgpool 3 stride 2 pad 1 ceil, flatten", 8),
        ("gap", 5),
        ("gmp", 5),
        ("blurpool 2, flatten", 6),
        ("blurpool 2 filter 3, flatten", 5),
        ("blurpool 3 filter 5, gap", 7),
        ("flatten, dense 7, relu, dense 6, relu", 3),
        ("bn, relu, gap", 4),
        ("bn, flatten, dense 5, bn", 3),
        ("dropout 0.4, flatten", 4),
        // Grouped, depthwise (own kernel) and per-side padded convolutions.
        ("conv 3x3 6 groups 2, flatten", 5),
        ("conv 3x3 8 groups 4 stride 2, gap", 7),
        ("conv 3x3 4 groups 4, flatten", 5),
        ("conv 3x3 4 groups 4 stride 2 dilation 2 pad 2, flatten", 7),
        ("conv 3x3 4 groups 4, relu, conv 3x3 4 groups 4 stride 2 pad valid ceil, flatten", 8),
        ("conv 2x3 5 stride 2 pad 0,1,1,0; flatten", 6),
        ("conv 3x3 4 groups 4 pad 1,0,2,1; flatten", 5),
        ("avgpool 3 stride 2 pad 1 include-pad, flatten", 6),
        ("avgpool 3 stride 2 pad 1 ceil include-pad, flatten", 8),
        ("avgpool 2 pad 1,0,0,1 include-pad; flatten", 5),
        ("maxpool 2 pad 0,1,1,0; flatten", 5),
        // Activations, softmax, per-channel affine and bias terms.
        ("clip -0.3 0.3, flatten", 4),
        ("relu6, flatten", 4),
        ("leakyrelu 0.1, flatten", 4),
        ("sigmoid, flatten", 4),
        ("hardsigmoid, flatten", 4),
        ("hardswish, flatten", 4),
        ("silu, flatten", 4),
        ("gelu, flatten", 4),
        ("tanh, flatten", 4),
        ("gap, softmax", 4),
        ("affine, flatten", 4),
        ("bias, flatten", 4),
        ("bias 4x4, flatten", 4),
    ]

    @Test(arguments: cases)
    func layerGradients(_ spec: String, size: Int) throws {
        try check(spec.contains(";") ? "conv 3x3 4; " + spec : Self.lead + spec, size: size)
    }

    @Test func lossWithLabelSmoothing() throws {
        try check("conv 3x3 4, gap", size: 4, smoothing: 0.2)
    }

    func check(_ text: String, size: Int, smoothing: Float = 0) throws {
        let spec = text.contains(";") ? try ModelSpec(parsing: text.split(separator: ";").map(String.init)) : try ModelSpec(parsing: text)
        let net = try Network(spec: spec, inputChannels: 2,
                              classes: 4, trainingHeight: size, trainingWidth: size, seed: 11)
        try checkGradients(net, size: size, label: text, smoothing: smoothing)
    }
}

/// Compares every trainable parameter's analytic gradient (10 samples per tensor) with a
/// central difference of the training loss on a fixed batch of 3 images of size×size×2, with
/// the tolerance and kink rule stated on `GradientCheckTests`. Biases, scales and shifts are
/// first moved off their initial values so their gradients matter.
func checkGradients(_ net: Network, size: Int, label text: String, smoothing: Float = 0) throws {
    var generator = SplitMix64(seed: 5)
    var values = net.parameterValues
    for entry in net.parameters where entry.role == .bias || entry.role == .scale || entry.role == .shift {
        for i in entry.offset..<entry.offset + entry.count { values[i] += generator.uniform(limit: 0.3) }
    }
    net.parameterValues = values
    let inputs = randomBatch(count: 3, size: size, channels: 2, seed: 9)
    let labels = [1, 3, 0]
    let dropoutState = net.dropoutGenerator
    func loss() throws -> Float {
        net.dropoutGenerator = dropoutState
        return try net.computeGradients(inputs: inputs, labels: labels, labelSmoothing: smoothing)
    }
    let center = try loss()
    let analytic = net.parameterGradients
    let h: Float = 1e-3
    var checked = 0, skipped = 0
    for entry in net.parameters where entry.role.isTrainable {
        for sample in 0..<min(entry.count, 10) {
            let i = entry.offset + (sample * 7919) % entry.count
            let saved = values[i]
            values[i] = saved + h
            net.parameterValues = values
            let plus = try loss()
            values[i] = saved - h
            net.parameterValues = values
            let minus = try loss()
            values[i] = saved
            net.parameterValues = values
            let numeric = (plus - minus) / (2 * h)
            if abs((plus - center) - (center - minus)) / h > 1e-2 * abs(numeric) + 6e-4 {
                skipped += 1
                continue
            }
            checked += 1
            #expect(abs(numeric - analytic[i]) <= 3e-2 * abs(analytic[i]) + 3e-4,
                    "\(text): \(entry.name)[\(i - entry.offset)] analytic \(analytic[i]) vs finite difference \(numeric)")
        }
    }
    #expect(skipped * 4 <= checked, "\(text): \(skipped) samples sit on kinks, \(checked) checked")
}
