import Foundation
import ImageIO
import TestSupport
@testable import Resample

/// One reference resize from Fixtures/resample/references.tsv, written by
/// scripts/reference/resample_references.py.
struct ReferenceCase: CustomStringConvertible {
    var library: String
    var input: String
    var method: ResizeMethod
    var width: Int
    var height: Int
    /// Top row of this output in `references/<library>_<input>.png`.
    var y: Int

    var description: String { "\(library) \(input) \(method) \(width)×\(height)" }

    static func all(library: String) throws -> [ReferenceCase] {
        let text = try String(contentsOfFile: Fixtures.path("resample/references.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(separator: "\t").map(String.init)
            guard f[0] == library, let method = ResizeMethod(name: f[2]) else { return nil }
            return ReferenceCase(library: f[0], input: f[1], method: method, width: Int(f[3])!, height: Int(f[4])!, y: Int(f[5])!)
        }
    }

    func inputImage() throws -> Image { try readImage(atPath: Fixtures.path("resample/inputs/\(input).png")) }

    /// The reference output, cut from its atlas.
    func expected() throws -> Image {
        let atlas = try readImage(atPath: Fixtures.path("resample/references/\(library)_\(input).png"))
        var pixels = [UInt8]()
        for row in y..<(y + height) {
            let start = row * atlas.width * atlas.channels
            pixels += atlas.pixels[start..<(start + width * atlas.channels)]
        }
        return Image(width: width, height: height, channels: atlas.channels, pixels: pixels)
    }
}

/// How far two same-shaped images differ: the count of samples that differ at all and by more
/// than 1, and the largest difference.
struct Difference {
    var differing = 0
    var beyondOne = 0
    var maximum = 0
    var samples = 0

    init(_ a: Image, _ b: Image) {
        precondition(a.width == b.width && a.height == b.height && a.channels == b.channels)
        samples = a.pixels.count
        for (x, y) in zip(a.pixels, b.pixels) {
            let d = abs(Int(x) - Int(y))
            maximum = max(maximum, d)
            if d > 0 { differing += 1 }
            if d > 1 { beyondOne += 1 }
        }
    }
}
