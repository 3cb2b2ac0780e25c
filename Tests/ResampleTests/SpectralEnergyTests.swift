import Foundation
import ImageIO
import Testing
import TestSupport
@testable import Resample

/// The Nyquist budget on images whose spectra are known, and on real photos against scipy's DCT.
@Suite struct SpectralEnergyTests {
    /// An 8-bit image of `width × height` whose channels all hold `value(x, y)` (rounded).
    static func image(width: Int, height: Int, channels: Int = 3, _ value: (Int, Int) -> Double) -> Image {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let v = UInt8(min(255, max(0, value(x, y).rounded())))
                pixels += [UInt8](repeating: v, count: channels)
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// A DCT basis function along x (index 20 of 64) is entirely at or above the Nyquist limit of
    /// any grid of ≤ 20 columns and entirely below that of ≥ 21: 0% or 100%, up to the 8-bit
    /// rounding of the pixels (noise energy 1/12 per pixel against 100²/2: < 1e-4 of the energy).
    @Test func dctBasisFunctionIsAllOrNothing() throws {
        let image = Self.image(width: 64, height: 48) { x, _ in 128 + 100 * cos(Double.pi * (Double(x) + 0.5) * 20 / 64) }
        let energy = SpectralEnergy(image)
        for columns in [1, 8, 16, 20] {
            #expect(try #require(energy.shareAbove(columns: columns, rows: 48)) > 0.9999, "columns \(columns)")
        }
        for columns in [21, 32, 64, 100] {
            #expect(try #require(energy.shareAbove(columns: columns, rows: 48)) < 1e-4, "columns \(columns)")
        }
        // The rows do not matter for a pattern constant along y (only ky = 0 holds energy)…
        #expect(try #require(energy.shareAbove(columns: 32, rows: 1)) < 1e-4)
        // …and the pass band is a rectangle: cutting either axis below the pattern's index removes it.
        let diagonal = SpectralEnergy(Self.image(width: 64, height: 64) { x, y in
            128 + 100 * cos(Double.pi * (Double(x) + 0.5) * 10 / 64) * cos(Double.pi * (Double(y) + 0.5) * 30 / 64)
        })
        #expect(try #require(diagonal.shareAbove(columns: 16, rows: 16)) > 0.9999)
        #expect(try #require(diagonal.shareAbove(columns: 11, rows: 31)) < 1e-4)
    }

    /// A sinusoid that does not fit the image a whole number of half periods leaks out of its bin:
    /// the even extension puts a kink at the borders, whose energy falls off slowly toward low
    /// frequencies. 0.15 cycles/px sits at k = 2·0.15·64 = 19.2; measured with scipy for these
    /// phases, 1.5–2.8% of its energy lies below k = 12 and 0.4–0.8% at or above k = 28. So the
    /// tolerance is 3% seven bins under the cutoff, 2% eleven bins under, 1% nine bins over.
    @Test func sinusoidBetweenBinsIsAllOrNothingAwayFromTheCutoff() throws {
        for phase in [0.0, 1.0, 2.5] {
            let image = Self.image(width: 64, height: 40) { x, _ in 128 + 100 * sin(2 * Double.pi * 0.15 * Double(x) + phase) }
            let energy = SpectralEnergy(image)
            // 12 columns: Nyquist 12/128 = 0.094 cycles/px, below 0.15; 28 columns: 0.219, above.
            #expect(try #require(energy.shareAbove(columns: 8, rows: 40)) > 0.98, "phase \(phase)")
            #expect(try #require(energy.shareAbove(columns: 12, rows: 40)) > 0.97, "phase \(phase)")
            #expect(try #require(energy.shareAbove(columns: 28, rows: 40)) < 0.01, "phase \(phase)")
            #expect(try #require(energy.shareAboveNyquist(width: 12, height: 40, geometry: .squash)) > 0.97)
        }
    }

    /// White noise spreads its energy evenly over the (64·64 − 1) non-DC coefficients of each
    /// channel, so a c × r grid keeps (c·r − 1) of them: share = 1 − (c·r − 1)/4095. With 3 × 4095
    /// coefficients the share's standard deviation is below 0.004 at these grids; the tolerance is
    /// 0.015.
    @Test func whiteNoiseMatchesTheAnalyticShare() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var pixels: [UInt8] = []
        for _ in 0..<(64 * 64 * 3) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            pixels.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        let energy = SpectralEnergy(Image(width: 64, height: 64, channels: 3, pixels: pixels))
        for (columns, rows) in [(8, 8), (16, 16), (32, 32), (48, 20), (64, 32)] {
            let expected = 1 - Double(columns * rows - 1) / 4095
            let share = try #require(energy.shareAbove(columns: columns, rows: rows))
            #expect(abs(share - expected) < 0.015, "\(columns)×\(rows): \(share), analytic \(expected)")
        }
    }

    /// Real photos against scipy.fft.dctn (scripts/reference/spectral_reference.py); the Float
    /// transform agrees to 1e-4 of the energy.
    @Test func photosMatchScipy() throws {
        let text = try String(contentsOfFile: Fixtures.path("resample/spectral.tsv"), encoding: .utf8)
        var images: [String: SpectralEnergy] = [:]
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t").map(String.init)
            let energy = try images[f[0]] ?? SpectralEnergy(readImage(atPath: Fixtures.path("resample/inputs/\(f[0]).png")))
            images[f[0]] = energy
            let share = try #require(energy.shareAbove(columns: Int(f[1])!, rows: Int(f[2])!))
            #expect(abs(share - Double(f[3])!) < 1e-4, "\(f[0]) \(f[1])×\(f[2]): \(share), scipy \(f[3])")
            checked += 1
        }
        #expect(checked == 27)
    }

    /// The grid is the one the resize samples: squash maps each axis to its output size; timm's
    /// centre crop to the scaled image (96×72 at 32 px, crop_pct 0.875: short side ⌊32/0.875⌋ =
    /// 36, long side 36·96/72 = 48); letterbox to the fitted size.
    @Test func geometryPicksTheResampledGrid() throws {
        let energy = SpectralEnergy(try readImage(atPath: Fixtures.path("resample/inputs/flower.png")))
        #expect(energy.shareAboveNyquist(width: 24, height: 16, geometry: .squash) == energy.shareAbove(columns: 24, rows: 16))
        #expect(energy.shareAboveNyquist(width: 32, height: 32, geometry: .centerCrop(0.875)) == energy.shareAbove(columns: 48, rows: 36))
        #expect(energy.shareAboveNyquist(width: 32, height: 32, geometry: .letterbox) == energy.shareAbove(columns: 32, rows: 24))
        #expect(energy.shareAboveNyquist(width: 96, height: 72, geometry: .squash) == 0)
        #expect(energy.shareAboveNyquist(width: 192, height: 144, geometry: .squash) == 0)
    }

    @Test func uniformImageHasNoShare() {
        let energy = SpectralEnergy(Self.image(width: 10, height: 7) { _, _ in 77 })
        #expect(energy.contrastEnergy == 0)
        #expect(energy.shareAbove(columns: 2, rows: 2) == nil)
    }
}
