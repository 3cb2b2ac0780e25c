import Foundation
import Testing
import TestSupport
@testable import ImageIO

/// JPEG decodes against reference decodes, within ±2 per channel (IDCTs and upsamplers differ).
@Suite struct JPEGConformanceTests {
    /// Licence-marked files in Fixtures/jpeg against Pillow's decodes
    /// (scripts/reference/jpeg_reference.py).
    @Test func fixturesMatchPillowWithin2() throws {
        let folder = Fixtures.path("jpeg")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".jpg") && $0 != "ljt_monkey12.jpg" }.sorted()
        var failures: [String] = []
        for name in names {
            let decoded = try readImage(atPath: folder + "/" + name)
            let reference = try readImage(atPath: folder + "/reference/" + name.replacingOccurrences(of: ".jpg", with: ".png"))
            let difference = ImageDifference(decoded, reference)
            if difference?.maximum ?? .max > 2 || decoded.channels != reference.channels {
                failures.append("\(name): max difference \(difference.map { "\($0.maximum)" } ?? "size differs")")
            }
        }
        print("JPEG fixtures: \(names.count - failures.count) of \(names.count) match Pillow within ±2")
        #expect(names.count == 16)
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Files whose reference decoder differs from libjpeg-turbo by 3 on a few values; Pillow's
    /// decode (libjpeg-turbo too) differs from the reference in exactly the same values.
    static let knownWithin3 = ["jd_mjpeg.jpg": 123, "jd_ycck.jpg": 19]

    /// The decoder reftests in ../shared (jd_*, moz_*; not copied: licences unstated).
    @Test func sharedReferenceDecodesMatchWithin2() throws {
        guard let shared = Fixtures.sharedDatasets else { Fixtures.skip(Fixtures.sharedDatasetsMissing); return }
        let folder = shared + "/conformance/jpeg"
        let references = try FileManager.default.contentsOfDirectory(atPath: folder + "/reference").filter { $0.hasSuffix(".png") }.sorted()
        var within2 = 0
        for reference in references {
            let name = reference.replacingOccurrences(of: ".png", with: ".jpg")
            let decoded = try readImage(atPath: folder + "/" + name)
            let difference = try #require(ImageDifference(decoded, try readImage(atPath: folder + "/reference/" + reference)), "\(name) size")
            if difference.maximum <= 2 {
                within2 += 1
            } else {
                #expect(difference.maximum <= 3 && difference.overTolerance == Self.knownWithin3[name],
                        "\(name): max \(difference.maximum), \(difference.overTolerance) values beyond ±2")
            }
        }
        print("JPEG reftests: \(within2) of \(references.count) within ±2; \(Self.knownWithin3) within ±3 (values beyond ±2), as Pillow")
        #expect(references.count == 36)
        #expect(within2 == references.count - Self.knownWithin3.count)
    }

    @Test func grayscaleStaysOneChannelAndCMYKBecomesRGB() throws {
        #expect(try readImage(atPath: Fixtures.path("jpeg/pil_hopper_gray.jpg")).channels == 1)
        // Adobe-inverted CMYK: its pixels are checked against Pillow in fixturesMatchPillowWithin2.
        #expect(try readImage(atPath: Fixtures.path("jpeg/pil_pil_sample_cmyk.jpg")).channels == 3)
    }

    @Test func scaledDecodeUsesTheDCTScale() throws {
        let image = try readImage(atPath: Fixtures.path("jpeg/ljt_testorig.jpg"), options: DecodeOptions(jpegScaleDenominator: 4))
        #expect(image.width == 57 && image.height == 38)   // ceil(227 / 4) × ceil(149 / 4)
    }
}
