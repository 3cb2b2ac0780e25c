import Foundation
import Testing
import TestSupport
@testable import ImageIO

/// EXIF orientation: photos come out upright, as with Pillow's `ImageOps.exif_transpose`.
@Suite struct EXIFOrientationTests {
    /// Checks that `file` decodes upright: of the 8 orientations of its stored pixels, the one
    /// applied must be the closest to `upright` and close in absolute terms (a mean difference
    /// under 6 of 255: the files are separate lossy encodings of one picture).
    func expectUpright(_ file: String, like upright: Image, options: DecodeOptions = DecodeOptions(),
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let decoded = try decodeImage(bytes, name: file, options: options)
        let stored = try decodeJPEGKeepingWarnings(bytes, name: file, options: options).image
        let means = EXIFOrientation.allCases.map { ImageDifference(stored.transformed(by: $0), upright)?.mean ?? .infinity }
        let applied = try #require(ImageDifference(decoded, upright), "\(file) has the wrong size", sourceLocation: sourceLocation)
        #expect(applied.mean < 6 && applied.mean == means.min()!, "\(file): mean \(applied.mean), all \(means)",
                sourceLocation: sourceLocation)
        #expect(means.filter { $0 < 6 }.count == 1, "\(file): ambiguous, \(means)", sourceLocation: sourceLocation)
    }

    @Test func pillowHopperOrientations2To8ComeOutUpright() throws {
        let upright = try readImage(atPath: Fixtures.path("exif/pil_hopper_orientation_1_noexif.jpg"))
        for orientation in 2...8 {
            try expectUpright(Fixtures.path("exif/pil_hopper_orientation_\(orientation).jpg"), like: upright)
        }
    }

    @Test func rectangleWithOrientation8IsTransposed() throws {
        let image = try readImage(atPath: Fixtures.path("exif/pil_orientation_rectangle.jpg"))
        #expect(image.width == 1 && image.height == 2)
    }

    /// The 18 Landscape/Portrait photos of ../shared (orientation 0–8, 1800 × 1200), decoded at 1/4.
    @Test func sharedLandscapeAndPortraitPhotosComeOutUpright() throws {
        guard let shared = Fixtures.sharedDatasets else { Fixtures.skip(Fixtures.sharedDatasetsMissing); return }
        let options = DecodeOptions(jpegScaleDenominator: 4)
        for kind in ["Landscape", "Portrait"] {
            let upright = try readImage(atPath: "\(shared)/conformance/exif/\(kind)_1.jpg", options: options)
            for orientation in [0, 2, 3, 4, 5, 6, 7, 8] {
                try expectUpright("\(shared)/conformance/exif/\(kind)_\(orientation).jpg", like: upright, options: options)
            }
        }
    }

    // MARK: the TIFF parser

    /// A JPEG header with one APP1 "Exif" segment holding IFD0 with an orientation entry.
    func jpeg(orientation: Int, littleEndian: Bool, type: Int = 3) -> [UInt8] {
        func field(_ value: Int, _ size: Int) -> [UInt8] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            return littleEndian ? bytes : bytes.reversed()
        }
        let value = type == 3 ? field(orientation, 2) + [0, 0] : field(orientation, 4)
        let tiff = (littleEndian ? Array("II".utf8) : Array("MM".utf8)) + field(42, 2) + field(8, 4)
            + field(2, 2)                                                  // two entries
            + field(0x010F, 2) + field(2, 2) + field(1, 4) + [0, 0, 0, 0]  // Make, ASCII: skipped
            + field(0x0112, 2) + field(type, 2) + field(1, 4) + value
            + field(0, 4)
        let app1 = Array("Exif".utf8) + [0, 0] + tiff
        let length = app1.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + app1 + [0xFF, 0xDA]
    }

    @Test func bothByteOrdersAndShortOrLongValuesAreRead() {
        for orientation in 1...8 {
            for littleEndian in [true, false] {
                for type in [3, 4] {
                    #expect(EXIFOrientation(jpeg: jpeg(orientation: orientation, littleEndian: littleEndian, type: type)).rawValue
                            == UInt16(orientation))
                }
            }
        }
    }

    @Test func outOfRangeValuesMeanUpright() {
        #expect(EXIFOrientation(jpeg: jpeg(orientation: 0, littleEndian: true)) == .up)
        #expect(EXIFOrientation(jpeg: jpeg(orientation: 9, littleEndian: false)) == .up)
        #expect(EXIFOrientation(jpeg: jpeg(orientation: 0x10006, littleEndian: true, type: 4)) == .up)
    }

    /// Truncations and random byte changes of the segment must give some orientation, never a crash.
    @Test func garbageNeverCrashes() {
        let valid = jpeg(orientation: 6, littleEndian: false)
        for cut in 0..<valid.count { _ = EXIFOrientation(jpeg: Array(valid.prefix(cut))) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var damaged = valid
            for _ in 0..<3 { damaged[Int.random(in: 0..<damaged.count, using: &generator)] = .random(in: 0...255, using: &generator) }
            _ = EXIFOrientation(jpeg: damaged)
        }
        _ = EXIFOrientation(jpeg: [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 100))
    }

    @Test func transformsMatchTheirDefinitions() {
        // 3 × 2 image with values 0...5: row 0 = 0 1 2, row 1 = 3 4 5. Expected values printed by
        // Pillow's Image.transpose with the method exif_transpose uses for each orientation.
        let image = Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5])
        let expected: [EXIFOrientation: [UInt8]] = [
            .up: [0, 1, 2, 3, 4, 5], .mirrored: [2, 1, 0, 5, 4, 3], .upsideDown: [5, 4, 3, 2, 1, 0],
            .mirroredUpsideDown: [3, 4, 5, 0, 1, 2], .transposed: [0, 3, 1, 4, 2, 5],
            .rotatedLeft: [3, 0, 4, 1, 5, 2], .transverse: [5, 2, 4, 1, 3, 0], .rotatedRight: [2, 5, 1, 4, 0, 3],
        ]
        for (orientation, pixels) in expected {
            let turned = image.transformed(by: orientation)
            #expect(turned.pixels == pixels, "\(orientation)")
            #expect(turned.width == (orientation.rawValue >= 5 ? 2 : 3))
        }
    }
}
