import Testing
import ImageIO
import TestSupport
@testable import Resample

/// Properties every method must keep, independent of any reference library.
@Suite struct InvariantTests {
    static let methods = Filter.allCases.flatMap { [ResizeMethod($0), ResizeMethod($0, antialias: false)] }
    static let sizes = [(256, 32), (100, 37), (37, 100), (5, 13), (7, 1), (1, 5)]

    @Test(arguments: methods)
    func weightsSumToOne(method: ResizeMethod) {
        for (n, m) in Self.sizes {
            let table = AxisWeights(inSize: n, outSize: m, method: method)
            for i in 0..<m {
                let sum = (0..<table.taps).reduce(Float(0)) { $0 + table.weights[i * table.taps + $1] }
                let fixedSum = (0..<table.taps).reduce(Int32(0)) { $0 + table.fixed[i * table.taps + $1] }
                #expect(abs(sum - 1) < 1e-5, "\(n)→\(m) output \(i): weights sum to \(sum)")
                // Each fixed-point weight is rounded on its own, so the sum may miss 2^22 by half a unit per tap.
                #expect(abs(Int(fixedSum) - (1 << 22)) <= table.taps, "\(n)→\(m) output \(i): fixed weights sum to \(fixedSum)")
                #expect(Int(table.first[i]) >= 0 && Int(table.first[i]) + table.taps <= n)
            }
        }
    }

    @Test(arguments: methods)
    func uniformStaysUniform(method: ResizeMethod) {
        let image = Image(width: 23, height: 17, channels: 3, pixels: [UInt8](repeating: 0, count: 23 * 17).flatMap { _ in [137, 0, 255] })
        var tensor = [Float](repeating: -1, count: 64 * 64 * 3)
        for (width, height) in [(3, 2), (11, 40), (64, 64), (23, 17)] {
            let resized = resize(image, width: width, height: height, method: method)
            #expect(resized.pixels == [UInt8](repeating: 0, count: width * height).flatMap { _ in [137, 0, 255] }, "\(width)×\(height)")
            tensor.withUnsafeMutableBufferPointer {
                resize(image, into: $0.baseAddress!, width: width, height: height, method: method, scratch: ResizeScratch())
            }
            for p in 0..<(width * height) {
                #expect(abs(tensor[3 * p] - 137 / 255) < 1e-5 && abs(tensor[3 * p + 1]) < 1e-5 && abs(tensor[3 * p + 2] - 1) < 1e-5)
            }
        }
    }

    @Test(arguments: methods)
    func sameSizeIsIdentity(method: ResizeMethod) throws {
        let image = try readImage(atPath: TestImages.flower)
        #expect(resize(image, width: image.width, height: image.height, method: method) == image)
    }

    @Test func grayscaleFillsThreeIdenticalChannels() throws {
        let gray = try readImage(atPath: TestImages.hopperGray)
        #expect(gray.channels == 1)
        var tensor = [Float](repeating: 0, count: 20 * 15 * 3)
        tensor.withUnsafeMutableBufferPointer {
            resize(gray, into: $0.baseAddress!, width: 20, height: 15, method: ResizeMethod(.bicubic), scratch: ResizeScratch())
        }
        let u8 = resize(gray, width: 20, height: 15, method: ResizeMethod(.bicubic))
        for p in 0..<(20 * 15) {
            #expect(tensor[3 * p] == tensor[3 * p + 1] && tensor[3 * p] == tensor[3 * p + 2])
            // The float path rounds nowhere; the 8-bit path rounds (±½) and clips after each pass,
            // and the vertical lobes (Σ|w| ≈ 1.2 for bicubic) scale the first error: at most ≈ 1.1 + ½.
            #expect(abs(min(max(tensor[3 * p] * 255, 0), 255) - Float(u8.pixels[p])) <= 1.7)
        }
    }

    @Test func normalizationIsAppliedPerChannel() {
        let image = Image(width: 4, height: 4, channels: 3, pixels: [UInt8](repeating: 0, count: 16).flatMap { _ in [255, 128, 0] })
        var tensor = [Float](repeating: 0, count: 2 * 2 * 3)
        tensor.withUnsafeMutableBufferPointer {
            resize(image, into: $0.baseAddress!, width: 2, height: 2, method: ResizeMethod(.bilinear),
                   normalization: .imagenet, scratch: ResizeScratch())
        }
        let expected: [Float] = [(1 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, -0.406 / 0.225]
        for p in 0..<4 { for c in 0..<3 { #expect(abs(tensor[3 * p + c] - expected[c]) < 1e-5) } }
    }
}

/// Paths of the committed input photos.
enum TestImages {
    static let flower = Fixtures.path("resample/inputs/flower.png")
    static let hopperGray = Fixtures.path("resample/inputs/hopper_gray.png")
}
