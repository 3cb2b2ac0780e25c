import Foundation
import Testing
@testable import NN

@Suite struct ModelSpecTests {
    @Test func parsesAndPrintsTheShortForms() throws {
        let text = "conv 3x3 32, relu, maxpool 2, conv 5x3 16 stride 2 dilation 2 pad valid ceil, bn, avgpool 3 stride 2 pad 1 ceil, blurpool 2, blurpool 2 filter 3, dropout 0.3, gmp, gap, flatten, dense 10"
        let spec = try ModelSpec(parsing: "[" + text + "]")
        #expect(spec.description == text)
        #expect(spec.layers[3] == .conv(ConvSpec(kernelHeight: 5, kernelWidth: 3, filters: 16, stride: 2, dilation: 2,
                                                 padding: .valid, rounding: .ceil)))
        #expect(spec.layers[5] == .avgPool(PoolSpec(kernel: 3, stride: 2, padding: .explicit(1), rounding: .ceil)))
        let json = try JSONEncoder().encode(spec)
        #expect(try JSONDecoder().decode(ModelSpec.self, from: json) == spec)
        #expect(String(decoding: json, as: UTF8.self).hasPrefix("[\"conv 3x3 32\",\"relu\""))
    }

    @Test func refusesBadLayersWithSentences() {
        #expect(throws: NNError.unparsableLayer(text: "conv 3x3", reason: "expected the number of filters (a whole number)")) {
            try LayerSpec(parsing: "conv 3x3")
        }
        #expect(throws: NNError.unparsableLayer(text: "pool 2", reason:
            "unknown layer \"pool\" (expected conv, relu, maxpool, avgpool, gap, gmp, blurpool, flatten, dense, bn, dropout, an activation such as relu6, sigmoid, hardswish, silu or gelu, or a merge: add, mul, concat)")) {
            try LayerSpec(parsing: "pool 2")
        }
        #expect(throws: NNError.invalidLayer(layer: "dropout 1.5", reason: "the rate must be at least 0 and below 1")) {
            try LayerSpec(parsing: "dropout 1.5")
        }
        #expect(throws: NNError.invalidLayer(layer: "maxpool 2 pad 2", reason: "padding 2 must be smaller than the window (2)")) {
            try LayerSpec(parsing: "maxpool 2 pad 2")
        }
    }

    @Test func roundingIsAFieldEveryWindowLayerCarries() throws {
        let spec = ModelSpec.referenceCNN()
        let floor = try spec.plan(height: 30, width: 30, channels: 3)
        let ceil = try spec.withRounding(.ceil).plan(height: 30, width: 30, channels: 3)
        // 30 → 15 → 7 → 3 drops a row at each of the last two pools; ceil keeps 30 → 15 → 8 → 4.
        #expect(floor.map(\.output.height) == [30, 30, 15, 15, 15, 7, 7, 7, 3, 1, 1])
        #expect(ceil.map(\.output.height) == [30, 30, 15, 15, 15, 8, 8, 8, 4, 1, 1])
        #expect(floor[5].rows!.dropped == 1 && floor[8].rows!.dropped == 1)
        #expect(ceil[5].rows!.padAfter == 1 && ceil[5].rows!.dropped == 0)
        #expect(spec.withRounding(.ceil).layers[2].description == "maxpool 2 ceil")
    }

    @Test func windowAxisMatchesTheFormulas() {
        // SAME: ⌈n/s⌉ outputs, padding split with the odd pixel after (TensorFlow).
        let same = WindowAxis(input: 8, taps: 3, stride: 2, dilation: 1, padding: .same, rounding: .floor)
        #expect(same.output == 4 && same.padBefore == 0 && same.padAfter == 1)
        // PyTorch ceil_mode: the last window may not start in the right padding.
        let ceil = WindowAxis(input: 5, taps: 2, stride: 2, dilation: 1, padding: .explicit(1), rounding: .ceil)
        #expect(ceil.output == 3)
        let dilated = WindowAxis(input: 7, taps: 3, stride: 1, dilation: 2, padding: .valid, rounding: .floor)
        #expect(dilated.extent == 5 && dilated.output == 3)
    }

    @Test func shapeErrorsAreSentences() throws {
        let flatten = try ModelSpec(parsing: "conv 3x3 32, relu, maxpool 2, conv 3x3 64, relu, maxpool 2, conv 3x3 128, relu, maxpool 2, flatten, dense 10")
        let net = try Network(spec: flatten, inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 1)
        #expect(throws: NNError.cannotRun(node: "11", sentence:
            "Layer 11 (dense 10): dense expects 2048 inputs (4×4×128 at 32×32) but got 8192 (8×8×128 at 64×64): flatten ties the model to its training resolution; global average pooling does not.")) {
            try net.predict(Tensor(zeros: [1, 64, 64, 3]))
        }
        let error = NNError.cannotRun(node: "9", sentence:
            "Layer 9 (maxpool 2): it gets a 1×1×128 map at 4×4 input, smaller than its 2×2 window, so the map would shrink to nothing; use a larger input (the smallest input this model takes is 8×8) or fewer downsampling layers.")
        #expect(throws: error) { try ModelSpec.referenceCNN().plan(height: 4, width: 4, channels: 3) }
        #expect(error.description.hasPrefix("Layer 9 (maxpool 2): it gets a 1×1×128 map"))
        // Global average pooling takes any size.
        let gap = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 1)
        #expect(try gap.predict(Tensor(zeros: [2, 57, 40, 3])).shape == [2, 10])
        #expect(throws: NNError.badTensor(reason: "The network was built for 3-channel images but got 1 channels; convert the images (e.g. grayscale to RGB) first.")) {
            try gap.predict(Tensor(zeros: [1, 32, 32, 1]))
        }
        #expect(throws: NNError.invalidLayer(layer: "dense 7", reason:
            "the last layer has 7 outputs but there are 10 classes; write \"dense 10\" or leave the last dense layer out to have it added")) {
            try Network(spec: ModelSpec(parsing: "gap, dense 7"), inputChannels: 3, classes: 10, trainingHeight: 8, trainingWidth: 8, seed: 1)
        }
    }
}
