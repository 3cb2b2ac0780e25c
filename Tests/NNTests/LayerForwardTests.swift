import Testing
@testable import NN

/// Forward values of the layers the numpy cross-check does not cover, against hand-computed
/// numbers and invariants (a uniform image stays uniform under blurring and averaging).
@Suite struct LayerForwardTests {
    /// Runs `text` (no trailing dense) on one image and returns the layer outputs' last activations.
    func run(_ text: String, _ values: [Float], size: Int, channels: Int = 1) throws -> [Float] {
        let spec = try ModelSpec(parsing: text)
        let plans = try spec.plan(height: size, width: size, channels: channels)
        let ws = Workspace(plans: plans, capacity: 1, training: false)
        let net = try Network(spec: ModelSpec(parsing: text + ", flatten"), inputChannels: channels, classes: 2,
                              trainingHeight: size, trainingWidth: size, seed: 1)
        values.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: 1, workspace: ws) }
        return Array(UnsafeBufferPointer(start: ws.outputs.last!, count: plans.last!.output.count))
    }

    @Test func blurPoolTapsAreBinomialAndKeepUniformImagesUniform() throws {
        #expect(BlurPool.taps(3) == SIMD8<Float>(0.25, 0.5, 0.25, 0, 0, 0, 0, 0))
        #expect(BlurPool.taps(4) == SIMD8<Float>(0.125, 0.375, 0.375, 0.125, 0, 0, 0, 0))
        #expect(try run("blurpool 2", [Float](repeating: 3, count: 49), size: 7) == [Float](repeating: 3, count: 16))
        // An impulse in the middle of 5×5, blur 3 stride 1 (stride 1 keeps the size): the output is the 2-D kernel.
        var impulse = [Float](repeating: 0, count: 25)
        impulse[12] = 16
        let out = try run("blurpool 1 filter 3", impulse, size: 5)
        #expect(Array(out[6...8]) == [1, 2, 1] && Array(out[11...13]) == [2, 4, 2] && Array(out[16...18]) == [1, 2, 1])
        // Reflect padding: index −1 reads 1, index n reads n − 2.
        #expect((-2...5).map { BlurPool.reflect($0, 4) } == [2, 1, 0, 1, 2, 3, 2, 1])
    }

    @Test func averagePoolingCountsOnlyRealPixels() throws {
        // 3×3 window, stride 2, pad 1 on 0…15 (4×4): the corner window averages 0, 1, 4, 5.
        let out = try run("avgpool 3 stride 2 pad 1", (0..<16).map(Float.init), size: 4)
        #expect(out == [2.5, 4, 8.5, 10])
        #expect(try run("gap", (0..<16).map(Float.init), size: 4) == [7.5])
        #expect(try run("gmp", (0..<16).map(Float.init), size: 4) == [15])
        #expect(try run("maxpool 2 ceil", (0..<9).map(Float.init), size: 3) == [4, 5, 7, 8])
    }

    @Test func batchNormNormalisesEachChannelInTraining() throws {
        let net = try Network(spec: ModelSpec(parsing: "bn, flatten"), inputChannels: 2, classes: 2,
                              trainingHeight: 3, trainingWidth: 3, seed: 1)
        let inputs = randomBatch(count: 4, size: 3, channels: 2, seed: 8)
        let ws = try net.trainingWorkspace(batch: 4, height: 3, width: 3)
        inputs.values.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: 4, workspace: ws) }
        let y = Array(UnsafeBufferPointer(start: ws.outputs[0], count: 72))
        for c in 0..<2 {
            let channel = stride(from: c, to: 72, by: 2).map { Double(y[$0]) }
            let mean = channel.reduce(0, +) / 36
            let variance = channel.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 36
            #expect(abs(mean) < 1e-6 && abs(variance - 1) < 1e-3)
        }
        // Running statistics moved 10% of the way from (0, 1) towards the batch's.
        let running = net.parameters.first { $0.role == .runningMean }!
        let batchMean = stride(from: 0, to: 72, by: 2).map { Double(inputs.values[$0]) }.reduce(0, +) / 36
        #expect(abs(Double(net.parameterValues[running.offset]) - 0.1 * batchMean) < 1e-6, "\(net.parameterValues[running.offset...running.offset + 3]) \(batchMean)")
    }

    /// Each activation at a few points against values worked out by hand (Φ and σ from tables).
    @Test func activationsGiveTheirDefinitions() throws {
        let x: [Float] = [-4, -1, 0.5, 2]
        func expectNear(_ text: String, _ expected: [Float]) throws {
            let out = try run(text, x, size: 2)
            #expect(zip(out, expected).allSatisfy { abs($0 - $1) <= 1e-6 }, "\(text): \(out) vs \(expected)")
        }
        try expectNear("relu6", [0, 0, 0.5, 2])
        try expectNear("clip -0.5 1", [-0.5, -0.5, 0.5, 1])
        try expectNear("leakyrelu 0.1", [-0.4, -0.1, 0.5, 2])
        try expectNear("sigmoid", [0.01798621, 0.26894142, 0.62245933, 0.88079708])
        try expectNear("hardsigmoid", [0, 1 / 3, 7 / 12, 5 / 6])                      // x/6 + 1/2, clipped
        try expectNear("hardsigmoid alpha 0.2 beta 0.5", [0, 0.3, 0.6, 0.9])
        try expectNear("hardswish", [0, -1 / 3, 0.5 * 3.5 / 6, 2 * 5 / 6.0])
        try expectNear("silu", [-4 * 0.01798621, -0.26894142, 0.5 * 0.62245933, 2 * 0.88079708])
        try expectNear("gelu", [-4 * 3.1671242e-5, -0.15865525, 0.5 * 0.69146246, 2 * 0.97724987])
        try expectNear("tanh", [-0.99932930, -0.76159416, 0.46211716, 0.96402758])
    }

    @Test func averagePoolingCanCountThePadding() throws {
        // 3×3 window, stride 2, pad 1 on 0…15 (4×4), dividing by 9: the corner window is 10 / 9.
        let out = try run("avgpool 3 stride 2 pad 1 include-pad", (0..<16).map(Float.init), size: 4)
        #expect(zip(out, [10 / 9, 24 / 9, 51 / 9, 90 / 9] as [Float]).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(out)")
        // ceil on 6×6 with pad 1 keeps a 4th window, rows 5…7: row 5 is the image, 6 the padding,
        // 7 overhangs past the padding and is not counted (PyTorch's rule): on a uniform image
        // the corner windows give 4/9, 2/6 (one column of padding counted) and 1/4.
        let ceil = try run("avgpool 3 stride 2 pad 1 ceil include-pad", [Float](repeating: 1, count: 36), size: 6)
        #expect(ceil.count == 16 && abs(ceil[0] - 4 / 9) <= 1e-6 && abs(ceil[3] - 1 / 3) <= 1e-6 && abs(ceil[15] - 1 / 4) <= 1e-6,
                "\(ceil)")
    }
}
