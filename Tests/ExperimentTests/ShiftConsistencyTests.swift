import Testing
@testable import Experiment

/// Zhang's consistency where the answer is known: a model that cannot see the shift agrees on
/// every image; a classifier that reads one pixel of noise agrees at the analytic rate.
@Suite struct ShiftConsistencyTests {
    @Test func enlargedSizeScalesByEightSevenths() {
        #expect(ShiftConsistency.enlargedSize(224) == 256)
        #expect(ShiftConsistency.enlargedSize(32) == 37)
        #expect(ShiftConsistency.enlargedSize(8) == 9)
        #expect(ShiftConsistency.enlargedSize(1) == 1)
    }

    /// A 3 × 3 image (values 0…26, HWC) cut at (1, 0) to 2 × 2.
    @Test func windowsCutTheRightPixels() {
        let image = (0..<27).map(Float.init)
        let window = ShiftConsistency.windows(image, count: 1, enlargedSize: 3, size: 2, offsets: [(x: 1, y: 0)])
        #expect(window == [3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 16, 17])
    }

    /// A real CNN with random weights on images of one colour each: every window of such an image
    /// is the same input, so a shift cannot change the answer and the consistency is exactly 1.
    @Test func shiftInvariantInputsGiveConsistencyOne() throws {
        let info = ModelDescription(layers: ["conv 3x3 8", "relu", "maxpool 2", "conv 3x3 8", "relu", "gap", "dense classes"],
                                    rounding: "floor", classNames: ["a", "b", "c", "d"], trainResolution: 16,
                                    mean: [0, 0, 0], std: [1, 1, 1])
        let model = try Model(info: info, seed: 7)
        let (r, count) = (16, 64)
        let R = ShiftConsistency.enlargedSize(r)
        var images: [Float] = []
        for n in 0..<count {
            let colour: [Float] = [Float(n % 4) / 3, Float(n % 7) / 6, Float(n % 5) / 4]
            for _ in 0..<(R * R) { images += colour }
        }
        var predictions: [Int] = []
        let agreements = try ShiftConsistency.agreements(images, images: Array(0..<count), size: r, seed: 3) { windows, n in
            let logits = try model.logits(windows, count: n, resolution: r)
            let classes = (0..<n).map { row in (0..<4).max { logits[row * 4 + $0] < logits[row * 4 + $1] }! }
            predictions += classes
            return classes
        }
        #expect(agreements.allSatisfy { $0 })
        // The model does tell the colours apart, so agreement is not a constant answer.
        #expect(Set(predictions).count > 1)
    }

    /// A classifier that returns the brightest channel of the window's top-left pixel, on i.i.d.
    /// noise: the two windows agree when the offsets coincide (probability 1/(span+1)² = 1/9 at
    /// 16 px, R = 18) and otherwise with probability 1/3, so the consistency is 1/9 + 8/9 · 1/3 =
    /// 11/27 ≈ 0.407. With 3000 images its standard deviation is 0.009; the tolerance is 0.035.
    @Test func positionReadingClassifierAgreesAtTheAnalyticRate() {
        let (r, count) = (16, 3000)
        let R = ShiftConsistency.enlargedSize(r)
        var state: UInt64 = 12345
        let images = (0..<(count * R * R * 3)).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24)
        }
        let agreements = ShiftConsistency.agreements(images, images: Array(0..<count), size: r, seed: 1) { windows, n in
            (0..<n).map { row in (0..<3).max { windows[row * r * r * 3 + $0] < windows[row * r * r * 3 + $1] }! }
        }
        let consistency = Double(agreements.filter { $0 }.count) / Double(count)
        #expect(abs(consistency - 11.0 / 27) < 0.035, "\(consistency)")
    }
}
