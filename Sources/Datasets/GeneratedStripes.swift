import Foundation
import ImageIO
import SeededRandom

/// The built-in quickstart dataset: grayscale stripes whose **orientation** is the class.
///
/// Every image is `size`×`size` and holds a sinusoidal grating
///     v(x, y) = background(x, y) + a · sin(2π (fx·x + fy·y) + φ) + noise,
/// with pixel centres at x + 0.5. Per axis the grating's frequency is 0 or 1/`period` cycles
/// per pixel (jittered by ±8 %):
///     horizontal (fx, fy) = (0, 1/p), vertical (1/p, 0), diagonal-down (1/p, 1/p), diagonal-up (1/p, −1/p).
/// Resized to r×r the frequency becomes (size/r)/p cycles per pixel, which exceeds Nyquist
/// (1/2) once r < 2·size/p: below that resolution an antialiased resize blurs the stripes
/// away and the four classes become the same image (25 % accuracy), while a point-sampling
/// resize folds them into aliased stripes of a wrong frequency and orientation.
/// The background (brightness 70…185 plus a gradient of up to ±30) and noise (σ ≈ 8) carry no
/// class information. Images are a pure function of (seed, split, index): no download, same
/// bytes on every machine.
public struct GeneratedStripes: Sendable {
    public static let classNames = ["horizontal", "diagonal-down", "vertical", "diagonal-up"]

    public var size: Int
    public var period: Double
    public var seed: Int

    public init(size: Int = 32, period: Double = 4, seed: Int = 1) {
        precondition(size >= 1 && period >= 2, "GeneratedStripes needs size ≥ 1 and period ≥ 2")
        self.size = size
        self.period = period
        self.seed = seed
    }

    /// The resolution below which the stripes exceed the Nyquist limit: 2·size/period.
    public var nyquistResolution: Double { 2 * Double(size) / period }

    /// Image `index` of `split` (0 = train, 1 = test) and its class, `index % 4`.
    public func sample(split: Int, index: Int) -> (image: Image, label: Int) {
        var rng = SplitMix64(seed: UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9 &+ UInt64(split) << 40 &+ UInt64(index))
        let label = index % Self.classNames.count
        let f = 1 / (period * (0.92 + 0.16 * rng.unit()))
        let (fx, fy): (Double, Double) = [(0, f), (f, f), (f, 0), (f, -f)][label]
        let phase = 2 * Double.pi * rng.unit()
        let amplitude = 35 + 25 * rng.unit()
        let brightness = 70 + 115 * rng.unit()
        let gradientAngle = 2 * Double.pi * rng.unit()
        let gradient = 30 * rng.unit() / Double(size)
        let (gx, gy) = (gradient * cos(gradientAngle), gradient * sin(gradientAngle))
        var pixels = [UInt8](repeating: 0, count: size * size)
        let centre = Double(size) / 2
        for y in 0..<size {
            for x in 0..<size {
                let (px, py) = (Double(x) + 0.5, Double(y) + 0.5)
                let stripes = amplitude * sin(2 * Double.pi * (fx * px + fy * py) + phase)
                let background = brightness + gx * (px - centre) + gy * (py - centre)
                let noise = 8 * (rng.unit() + rng.unit() + rng.unit() - 1.5) * 2
                pixels[y * size + x] = UInt8(max(0, min(255, (background + stripes + noise).rounded())))
            }
        }
        return (Image(width: size, height: size, channels: 1, pixels: pixels), label)
    }

    /// `perClass` images of each class for `split` (0 = train, 1 = test), classes interleaved.
    public func split(_ split: Int, perClass: Int) -> [(image: Image, label: Int)] {
        (0..<(perClass * Self.classNames.count)).map { sample(split: split, index: $0) }
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1) from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
