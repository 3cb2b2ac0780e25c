import Foundation
import NN
import Testing
import TestSupport
@testable import ONNX

/// The fixture models imported and run by the engine give onnxruntime's logits (written by
/// scripts/onnx/make_fixtures.py) within 1e-4 relative at every size they were run at.
@Suite struct ParityTests {
    /// Raw little-endian float32 values.
    static func floats(_ path: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// (N, C, H, W) → (N, H, W, C).
    static func nhwc(_ x: [Float], _ n: Int, _ c: Int, _ h: Int, _ w: Int) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        for b in 0..<n { for ch in 0..<c { for i in 0..<h { for j in 0..<w {
            y[((b * h + i) * w + j) * c + ch] = x[((b * c + ch) * h + i) * w + j]
        } } } }
        return y
    }

    @Test(arguments: ["resnet", "mobilenet", "squeezenet", "vgg", "adaptive"])
    func logitsMatchOnnxruntime(_ name: String) throws {
        let (model, manifest) = try FixtureModelTests.load(name)
        let network = try model.network()
        let folder = Fixtures.path("onnx/\(name)")
        for c in manifest.cases {
            let (n, ch, h, w) = (c.input[0], c.input[1], c.input[2], c.input[3])
            let input = Self.nhwc(try Self.floats(folder + "/input_\(c.size).bin"), n, ch, h, w)
            let expected = try Self.floats(folder + "/output_\(c.size).bin")
            let got = try network.predict(Tensor(shape: [n, h, w, ch], values: input)).values
            #expect(got.count == expected.count)
            let scale = expected.map(abs).max() ?? 1
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            // 1e-4 relative to the largest logit: float32 sums over ≤ 800 terms in a different order.
            #expect(worst <= 1e-4 * max(scale, 1), "\(name) at \(c.size): max |Δ| \(worst), largest logit \(scale)")
        }
    }
}
