import Testing
import ImageIO
@testable import Resample

/// Agreement with Pillow 13 (antialiased methods) and OpenCV 5 (`-noaa` methods) on crops of
/// real photos, RGB and grayscale, at downscales 1/8, 1/7, 1/3.5, 1/2, 2/3, upscales 1.5, 2, 3
/// and non-square sizes.
///
/// Tolerance: ±1 on at least 99.9% of samples (and ±2 on all for Pillow). The 8-bit path uses
/// Pillow's own fixed point, so differences can only come from double-precision weights
/// rounding differently at a .5 boundary; OpenCV rounds its weights to 11 bits and rounds
/// once after both passes where reslab rounds after each, which moves some values by 1.
@Suite struct ParityTests {
    @Test(arguments: ["pillow", "opencv"])
    func matchesReference(library: String) throws {
        let cases = try ReferenceCase.all(library: library)
        #expect(cases.count > 50)
        let scratch = ResizeScratch()
        var total = Difference.Total()
        for reference in cases {
            let input = try reference.inputImage()
            let output = resize(input, width: reference.width, height: reference.height, method: reference.method, scratch: scratch)
            let difference = Difference(output, try reference.expected())
            total.add(difference)
            #expect(Double(difference.beyondOne) <= 0.001 * Double(difference.samples),
                    "\(reference): \(difference.beyondOne) of \(difference.samples) samples differ by more than 1")
            if library == "pillow" {
                #expect(difference.maximum <= 2, "\(reference): largest difference \(difference.maximum)")
            }
        }
        print("\(library): \(cases.count) resizes, \(total)")
    }
}

extension Difference {
    /// Counts over many comparisons, for the docs.
    struct Total: CustomStringConvertible {
        var samples = 0, differing = 0, beyondOne = 0, maximum = 0
        mutating func add(_ d: Difference) {
            samples += d.samples
            differing += d.differing
            beyondOne += d.beyondOne
            maximum = max(maximum, d.maximum)
        }
        var description: String {
            "\(samples) samples, \(differing) differ, \(beyondOne) by more than 1, largest difference \(maximum)"
        }
    }
}
