import Foundation
import Testing
import TestSupport
@testable import ImageIO

/// PngSuite (Fixtures/pngsuite): every valid file against the reference decode written by
/// scripts/reference/pngsuite_reference.py (Pillow/OpenCV samples, alpha over white, 16-bit
/// high byte, gAMA ignored), and every corrupt `x*.png` refused.
@Suite struct PNGSuiteTests {
    static let suite = Fixtures.path("pngsuite")
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: suite))?.filter { $0.hasSuffix(".png") }.sorted() ?? []
    static let valid = files.filter { !$0.hasPrefix("x") }
    static let corrupt = files.filter { $0.hasPrefix("x") }

    @Test func suiteHas161ValidAnd14CorruptFiles() {
        #expect(Self.valid.count == 161)
        #expect(Self.corrupt.count == 14)
    }

    @Test func everyValidFileMatchesItsReferenceExactly() throws {
        var mismatches: [String] = []
        for name in Self.valid {
            let decoded = try readImage(atPath: Self.suite + "/" + name)
            let expected = try readImage(atPath: Self.suite + "/reference/" + name)
            if decoded != expected {
                let shape = "\(decoded.width)×\(decoded.height)×\(decoded.channels) vs \(expected.width)×\(expected.height)×\(expected.channels)"
                let worst = decoded.pixels.count == expected.pixels.count
                    ? zip(decoded.pixels, expected.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0 : -1
                mismatches.append("\(name) (\(shape), max difference \(worst))")
            }
        }
        print("PngSuite: \(Self.valid.count - mismatches.count) of \(Self.valid.count) valid files match their reference exactly")
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: ", "))")
    }

    @Test(arguments: corrupt)
    func corruptFileIsRefusedWithItsNameAndReason(name: String) {
        let path = Self.suite + "/" + name
        do {
            let image = try readImage(atPath: path)
            Issue.record("\(name) decoded to \(image.width)×\(image.height) but is corrupt")
        } catch let error as ImageIOError {
            let message = "\(error)"
            #expect(message.hasPrefix(path + " "), "\(message)")
            print("\(name): \(message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func badCRCIsNamedAsSuch() {
        #expect(throws: ImageIOError.corrupt(file: "xcsn0g01.png", reason: "IDAT: CRC error")) {
            try decodeImage(try bytes(Self.suite + "/xcsn0g01.png"), name: "xcsn0g01.png")
        }
    }

    @Test func damagedSignatureIsReportedAsSuch() throws {
        for name in ["xcrn0g04.png", "xlfn0g04.png", "xs1n0g01.png", "xs2n0g01.png", "xs4n0g01.png", "xs7n0g01.png"] {
            #expect(throws: ImageIOError.corrupt(file: name, reason: "its PNG signature (the first 8 bytes) is damaged, e.g. by a text-mode transfer that rewrote line endings; copy the original file again in binary mode")) {
                try decodeImage(try bytes(Self.suite + "/" + name), name: name)
            }
        }
    }

    @Test func truncatedPNGsAreRefused() throws {
        let whole = try bytes(Self.suite + "/basi2c08.png")
        for cut in [8, 20, 33, 60, 200, whole.count / 2, whole.count - 13, whole.count - 1] {
            #expect(throws: ImageIOError.self) { try decodeImage(Array(whole.prefix(cut)), name: "cut") }
        }
    }

    /// Random byte changes anywhere after the signature: each decode either succeeds or throws.
    @Test func corruptedBytesNeverCrash() throws {
        let whole = try bytes(Self.suite + "/basi6a16.png")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var damaged = whole
            for _ in 0..<3 { damaged[Int.random(in: 8..<damaged.count, using: &generator)] = .random(in: 0...255, using: &generator) }
            _ = try? decodeImage(damaged, name: "fuzz.png")
        }
    }

    @Test func alphaIsCompositedOverTheChosenBackground() throws {
        let path = Self.suite + "/tbbn3p08.png"   // palette with transparent entries
        let white = try readImage(atPath: path)
        let black = try readImage(atPath: path, options: DecodeOptions(background: (0, 0, 0)))
        let gray = try readImage(atPath: Self.suite + "/basn4a08.png", options: DecodeOptions(background: (128, 128, 128)))
        let red = try readImage(atPath: Self.suite + "/basn4a08.png", options: DecodeOptions(background: (255, 0, 0)))
        // The top-left pixel is fully transparent: it takes the background colour.
        #expect(Array(white.pixels.prefix(3)) == [255, 255, 255] && Array(black.pixels.prefix(3)) == [0, 0, 0])
        #expect(gray.channels == 1 && red.channels == 3)
    }

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
