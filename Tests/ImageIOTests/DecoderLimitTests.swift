import Foundation
import SeededRandom
import Testing
import TestSupport
@testable import ImageIO

/// The decoders' guards against files made to be slow or silently wrong (issue #19), and a
/// seeded fuzz run over the fixtures: every mutant decodes or is refused, none crashes.
@Suite struct DecoderLimitTests {
    /// A progressive JPEG whose last scan is repeated until it has 1,100 scans: libjpeg accepts
    /// it with a warning and decodes for as long as the repeats take; the scan limit stops it.
    @Test func aProgressiveJPEGWithTooManyScansIsRefused() throws {
        let whole = try fixture("tiny-folder/circle/circle_15.jpg")
        let scans = markerOffsets(whole, marker: 0xDA)
        try #require(scans.count > 1, "the fixture must be progressive")
        let lastScan = Array(whole[scans.last!..<(whole.count - 2)])
        var bloated = Array(whole.prefix(whole.count - 2))
        for _ in 0..<(1_100 - scans.count) { bloated += lastScan }
        bloated += [0xFF, 0xD9]
        let start = Date()
        #expect(throws: ImageIOError.corrupt(file: "scans.jpg", reason: "it has more than 1000 scans (real progressive JPEGs have about 10); such a file can take minutes to decode")) {
            try decodeImage(bloated, name: "scans.jpg")
        }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(try decodeImage(whole).width > 0)
    }

    /// An arithmetic-coded JPEG cut in the middle of its data but ending in EOI: libjpeg pads the
    /// rest with zeros without a warning; the decoder must refuse it as the Huffman path does.
    @Test(arguments: [0.3, 0.5, 0.7])
    func anArithmeticJPEGCutShortButKeepingEOIIsRefused(share: Double) throws {
        let whole = try fixture("jpeg/ljt_testimgari.jpg")
        let data = markerOffsets(whole, marker: 0xDA)[0]
        let cut = data + Int(Double(whole.count - data) * share)
        let damaged = Array(whole.prefix(cut)) + [0xFF, 0xD9]
        do {
            _ = try decodeImage(damaged, name: "cut.jpg")
            Issue.record("the cut file decoded")
        } catch let ImageIOError.corrupt(file, reason) {
            #expect(file == "cut.jpg")
            #expect(reason.hasPrefix("its arithmetic-coded data ends before row "), "\(reason)")
            #expect(reason.hasSuffix(" of 149 in scan 1 (the file was cut short)"), "\(reason)")
        }
        #expect(try decodeImage(whole).height == 149)
    }

    /// A progressive arithmetic-coded JPEG cut inside any of its 10 scans (EOI written after the
    /// cut): refused, naming the scan, where libjpeg decoded it without a warning.
    @Test func aProgressiveArithmeticJPEGCutInsideAnyScanIsRefused() throws {
        let whole = try fixture("jpeg-arithmetic/ljt_testorig-ari-progressive.jpg")
        let scans = markerOffsets(whole, marker: 0xDA)
        #expect(scans.count == 10)
        for (index, start) in scans.enumerated() {
            let end = index + 1 < scans.count ? scans[index + 1] : whole.count - 2
            let cut = Array(whole.prefix((start + end) / 2)) + [0xFF, 0xD9]
            do {
                _ = try decodeImage(cut, name: "cut.jpg")
                Issue.record("the file cut in scan \(index + 1) decoded")
            } catch let ImageIOError.corrupt(_, reason) {
                #expect(reason.hasSuffix("in scan \(index + 1) (the file was cut short)"), "\(reason)")
            }
        }
    }

    /// The last bytes of the data cut off (EOI kept): the last few block rows of a Huffman file
    /// (baseline or progressive) and of an arithmetic one (single scan or progressive). Huffman
    /// data reports any cut; arithmetic data has no check, so a cut shows only when the decoder
    /// needs more than the zero padding a whole file can need (docs/imageio.md): here from 25
    /// bytes on. 512 bytes is about 15 pixel rows of these 227×149 images, 32 bytes one.
    @Test(arguments: ["jpeg/ljt_testorig.jpg", "tiny-folder/circle/circle_15.jpg", "jpeg/ljt_testimgari.jpg",
                      "jpeg-arithmetic/ljt_testorig-ari-progressive.jpg"])
    func cutsWithinTheLastRowsAreRefused(file: String) throws {
        let whole = try fixture(file)
        let sizes = file.contains("ari") ? [32, 64, 128, 256, 512] : [1, 2, 8, 24, 64, 128]
        for size in sizes where size < whole.count / 4 {
            let cut = Array(whole.prefix(whole.count - 2 - size)) + [0xFF, 0xD9]
            #expect(throws: ImageIOError.self, "\(file) with its last \(size) bytes of data cut") {
                try decodeImage(cut, name: "cut.jpg")
            }
        }
    }

    /// Whole arithmetic-coded files, transcoded losslessly from fixtures (Fixtures/jpeg-arithmetic):
    /// each decodes to exactly its original's pixels. pil_pil_sample_cmyk-ari meets its end marker
    /// with a quarter of the rows left (they cost almost nothing), which a rule on rows refused.
    @Test(arguments: [("ljt_testorig-ari-progressive", "jpeg/ljt_testorig.jpg"),
                      ("pil_pil_sample_cmyk-ari", "jpeg/pil_pil_sample_cmyk.jpg"),
                      ("pil_rgb-ari-progressive", "jpeg/pil_rgb.jpg"),
                      ("circle_15-ari-progressive", "tiny-folder/circle/circle_15.jpg")])
    func wholeArithmeticFilesDecodeToTheirOriginalsPixels(name: String, original: String) throws {
        let arithmetic = try decodeImage(try fixture("jpeg-arithmetic/\(name).jpg"), name: name)
        let huffman = try decodeImage(try fixture(original), name: original)
        #expect(arithmetic.width == huffman.width && arithmetic.height == huffman.height)
        #expect(arithmetic.pixels == huffman.pixels)
    }

    /// 3,000 seeded mutants (1–8 random bytes changed, or cut, or a byte range repeated) of PNG
    /// and JPEG fixtures: each decode returns an image of the declared size or throws an
    /// `ImageIOError`; none crashes or takes long.
    @Test func seededMutantsDecodeOrAreRefused() throws {
        let files = ["jpeg/pil_hopper.jpg", "jpeg/ljt_testimgari.jpg", "jpeg/pil_hopper_gray.jpg",
                     "tiny-folder/circle/circle_15.jpg", "jpeg-arithmetic/ljt_testorig-ari-progressive.jpg", "tiny-folder/circle/circle_00.png", "pngsuite/basn2c08.png",
                     "pngsuite/basn3p04.png", "pngsuite/basi0g16.png"]
        var random = SplitMix64(seed: 19)
        var refused = 0, decoded = 0
        let start = Date()
        for index in 0..<3_000 {
            let original = try fixture(files[index % files.count])
            var mutant = original
            switch random.next() % 3 {
            case 0:
                for _ in 0...(random.next() % 8) {
                    mutant[8 + Int(random.next() % UInt64(mutant.count - 8))] = UInt8(truncatingIfNeeded: random.next())
                }
            case 1:
                mutant = Array(mutant.prefix(8 + Int(random.next() % UInt64(mutant.count - 8))))
            default:
                let from = 8 + Int(random.next() % UInt64(mutant.count - 8))
                let length = min(64, mutant.count - from)
                mutant.insert(contentsOf: mutant[from..<(from + length)], at: from)
            }
            do {
                let image = try decodeImage(mutant, name: "mutant-\(index)")
                #expect(image.pixels.count == image.width * image.height * image.channels)
                decoded += 1
            } catch is ImageIOError {
                refused += 1
            }
        }
        #expect(refused > 500 && decoded > 100, "refused \(refused), decoded \(decoded)")
        #expect(Date().timeIntervalSince(start) < 60)
    }

    /// The pixel-limit sentence names no option that does not exist, and says what to do.
    @Test func thePixelLimitMessageSaysWhatToDo() {
        #expect(ImageIOError.tooLarge(file: "huge.png", width: 30000, height: 30000, limit: 89_478_485).description
                == "huge.png declares 30000×30000 = 900000000 pixels, more than the limit of 89478485 (which keeps a crafted header from taking gigabytes); shrink it first, e.g. `convert huge.png -resize 50% smaller.png`, or raise the limit with --max-pixels N (or RESLAB_MAX_PIXELS=N).")
    }

    /// Only regular files are opened (a FIFO would block in open(2)); an empty file says so.
    @Test func fifosAndEmptyFilesAreRefusedByName() throws {
        let folder = NSTemporaryDirectory() + "reslab-readbytes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(mkfifo(folder + "/x.png", 0o644) == 0)
        _ = FileManager.default.createFile(atPath: folder + "/empty.png", contents: Data())
        #expect(throws: ImageIOError.unreadable(file: folder + "/x.png", reason: "it is not a regular file (a folder, FIFO, socket or device)")) {
            try readImage(atPath: folder + "/x.png")
        }
        #expect(throws: ImageIOError.unreadable(file: folder + "/empty.png", reason: "it is empty (0 bytes)")) {
            try readImage(atPath: folder + "/empty.png")
        }
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name))))
    }

    /// Offsets of every `FF marker` in `bytes` outside entropy-coded data (good enough for the
    /// fixtures: inside entropy data an FF is followed by 00 or a restart marker).
    private func markerOffsets(_ bytes: [UInt8], marker: UInt8) -> [Int] {
        (0..<(bytes.count - 1)).filter { bytes[$0] == 0xFF && bytes[$0 + 1] == marker }
    }
}
