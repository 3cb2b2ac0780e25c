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
            #expect(reason.hasPrefix("its arithmetic-coded data ends at row "), "\(reason)")
        }
        #expect(try decodeImage(whole).height == 149)
    }

    /// 3,000 seeded mutants (1–8 random bytes changed, or cut, or a byte range repeated) of PNG
    /// and JPEG fixtures: each decode returns an image of the declared size or throws an
    /// `ImageIOError`; none crashes or takes long.
    @Test func seededMutantsDecodeOrAreRefused() throws {
        let files = ["jpeg/pil_hopper.jpg", "jpeg/ljt_testimgari.jpg", "jpeg/pil_hopper_gray.jpg",
                     "tiny-folder/circle/circle_15.jpg", "tiny-folder/circle/circle_00.png", "pngsuite/basn2c08.png",
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
