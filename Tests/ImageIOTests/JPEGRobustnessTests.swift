import Foundation
import Testing
import TestSupport
@testable import ImageIO

/// Damaged, truncated and unsupported JPEGs: refused with a reason, never a crash or a grey image.
@Suite struct JPEGRobustnessTests {
    static let good = ["jpeg/pil_hopper.jpg", "jpeg/ljt_testimgari.jpg", "jpeg/pil_hopper_gray.jpg",
                       "tiny-folder/circle/circle_15.jpg"]   // baseline, arithmetic, gray, progressive

    @Test(arguments: good)
    func truncatedCopiesAreRefused(file: String) throws {
        let whole = try bytes(Fixtures.path(file))
        let cuts = [2, 3, 20, 100] + [0.1, 0.3, 0.5, 0.7, 0.9, 0.97].map { Int(Double(whole.count) * $0) }
        for cut in cuts where cut < whole.count - 2 {
            #expect(throws: ImageIOError.self, "\(file) cut at \(cut) of \(whole.count) bytes") {
                try decodeImage(Array(whole.prefix(cut)), name: file)
            }
        }
    }

    @Test func truncationIsReportedAsAPrematureEnd() throws {
        let whole = try bytes(Fixtures.path("jpeg/pil_hopper.jpg"))
        #expect(throws: ImageIOError.corrupt(file: "cut.jpg", reason: "Premature end of JPEG file")) {
            try decodeImage(Array(whole.prefix(whole.count / 2)), name: "cut.jpg")
        }
    }

    /// A truncation after many harmless warnings is still found: libjpeg's warnings are kept once
    /// per code, so the premature end of file is not lost behind the extraneous-data warnings
    /// (here: junk bytes before each of the 9 header markers after APP0, as before jd_mjpeg's
    /// restart markers; the shim once kept only the first 8 warnings and missed the end of file).
    @Test func truncationAfterManyHarmlessWarningsIsRefused() throws {
        let whole = try bytes(Fixtures.path("jpeg/pil_hopper.jpg"))
        var junky: [UInt8] = Array(whole.prefix(2)), offset = 2
        while offset + 4 <= whole.count, whole[offset] == 0xFF {
            let marker = whole[offset + 1]
            let end = marker == 0xDA ? whole.count : offset + 2 + (Int(whole[offset + 2]) << 8 | Int(whole[offset + 3]))
            junky += (offset > 2 ? [0x00, 0x01, 0x02] : []) + whole[offset..<end]   // not before the first
            offset = end
        }
        let warnings = try decodeJPEGKeepingWarnings(junky, name: "junky", options: DecodeOptions()).warnings
        #expect(warnings.count == 1 && warnings[0].message.contains("3 extraneous bytes before marker"))
        #expect(try decodeImage(junky).width == 128)
        #expect(throws: ImageIOError.corrupt(file: "cut.jpg", reason: "Premature end of JPEG file")) {
            try decodeImage(Array(junky.prefix(junky.count - 400)), name: "cut.jpg")
        }
    }

    /// Random byte changes after the header: each decode either succeeds or throws.
    @Test func corruptedBytesNeverCrash() throws {
        let whole = try bytes(Fixtures.path("jpeg/pil_hopper.jpg"))
        var generator = SystemRandomNumberGenerator()
        var refused = 0
        for _ in 0..<300 {
            var damaged = whole
            for _ in 0..<4 { damaged[Int.random(in: 2..<damaged.count, using: &generator)] = .random(in: 0...255, using: &generator) }
            do { _ = try decodeImage(damaged, name: "fuzz.jpg") } catch { refused += 1 }
        }
        #expect(refused > 0)
    }

    @Test func twelveBitJPEGIsUnsupported() throws {
        let path = Fixtures.path("jpeg/ljt_monkey12.jpg")
        #expect(throws: ImageIOError.unsupported(file: path, reason: "it has 12-bit or 16-bit samples (Unsupported JPEG data precision 12); only 8-bit JPEG is supported")) {
            try readImage(atPath: path)
        }
    }

    @Test func losslessJPEGsAreUnsupported() throws {
        guard let shared = Fixtures.sharedDatasets else { Fixtures.skip(Fixtures.sharedDatasetsMissing); return }
        let folder = shared + "/conformance/jpeg/exotic/lossless"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jpg") }
        #expect(names.count >= 10)
        for name in names {
            do {
                _ = try readImage(atPath: folder + "/" + name)
                Issue.record("\(name) decoded but is lossless")
            } catch let ImageIOError.unsupported(_, reason) {
                #expect(reason.hasPrefix("it is a lossless or hierarchical JPEG"))
            }
        }
    }

    /// The warning policy, file by file (see `JPEGWarning.isFatal(progressive:)`).
    @Test func harmlessWarningsAreAcceptedAsTheirReferencesShow() throws {
        guard let shared = Fixtures.sharedDatasets else { Fixtures.skip(Fixtures.sharedDatasetsMissing); return }
        for name in ["jd_extraneous-data", "jd_partial_progressive", "jd_progressive-missing-dc", "jd_mjpeg"] {
            let path = shared + "/conformance/jpeg/" + name + ".jpg"
            let raw = try decodeJPEGKeepingWarnings(try bytes(path), name: name, options: DecodeOptions())
            #expect(!raw.warnings.isEmpty, "\(name) should raise warnings")
            #expect(throws: Never.self) { try readImage(atPath: path) }
        }
        #expect(try decodeImage(try bytes(Fixtures.path("jpeg/pil_jpeg_ff00_header.jpg"))).width == 300)
    }

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
