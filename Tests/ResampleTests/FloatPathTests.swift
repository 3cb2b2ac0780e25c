import Testing
import ImageIO
@testable import Resample

/// The float32 path against the same separable sums done naively in double precision from the
/// windows' double weights: this checks the SIMD passes (lane layouts, slack rows, crop
/// offsets), not the weights, which the Pillow and OpenCV parity tests check.
/// Tolerance: 1e-3 on the 0...255 scale (float32 rounding over ≤ 100 taps per pass).
@Suite struct FloatPathTests {
    static let cases: [(width: Int, height: Int, channels: Int, outWidth: Int, outHeight: Int)] = [
        (96, 72, 3, 12, 9), (96, 72, 1, 31, 50), (3, 2, 3, 7, 5), (1, 1, 3, 4, 4), (5, 9, 1, 2, 3), (17, 4, 3, 3, 1),
    ]

    @Test(arguments: Filter.allCases)
    func floatPassesEqualDoubleSums(filter: Filter) {
        for antialias in [true, false] {
            let method = ResizeMethod(filter, antialias: antialias)
            for c in Self.cases {
                let count = c.width * c.height * c.channels
                let pixels: [UInt8] = (0..<count).map { (i: Int) -> UInt8 in UInt8((i * 73 + i / 7 * 31) % 256) }
                let image = Image(width: c.width, height: c.height, channels: c.channels, pixels: pixels)
                var tensor = [Float](repeating: 0, count: c.outWidth * c.outHeight * 3)
                tensor.withUnsafeMutableBufferPointer {
                    resize(image, into: $0.baseAddress!, width: c.outWidth, height: c.outHeight, method: method, scratch: ResizeScratch())
                }
                let expected = naiveResize(image, width: c.outWidth, height: c.outHeight, method: method)
                // Tensor index 3p + ch holds pixel p's channel ch (channel 0 of a gray input).
                var worst = 0.0
                for t in tensor.indices {
                    let e = expected[t / 3 * c.channels + (c.channels == 3 ? t % 3 : 0)]
                    worst = max(worst, abs(Double(tensor[t]) * 255 - e))
                }
                #expect(worst < 1e-3, "\(method) \(c): largest difference \(worst)")
            }
        }
    }

    /// out[y, x, c] = Σ_j v[y, j] Σ_k h[x, k] · in[j, k, c] in double, (height, width, C).
    func naiveResize(_ image: Image, width: Int, height: Int, method: ResizeMethod) -> [Double] {
        let h = AxisWeights.windows(inSize: image.width, outSize: width, method: method)
        let v = AxisWeights.windows(inSize: image.height, outSize: height, method: method)
        let C = image.channels
        var out = [Double](repeating: 0, count: width * height * C)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<C {
                    var sum = 0.0
                    for (j, wv) in v[y].weights.enumerated() {
                        for (k, wh) in h[x].weights.enumerated() {
                            sum += wv * wh * Double(image.pixels[((v[y].start + j) * image.width + h[x].start + k) * C + c])
                        }
                    }
                    out[(y * width + x) * C + c] = sum
                }
            }
        }
        return out
    }
}
