import Foundation
import Testing
import TestSupport
@testable import ImageIO

/// The pixel limit is checked from the header, before the pixel buffer is allocated: headers
/// crafted to declare 30000 × 30000 (900 M pixels, 2.7 GB as RGB) with no data behind them must
/// give `tooLarge`, not an allocation followed by a truncation error.
@Suite struct PixelLimitTests {
    @Test func pngHeaderBeyondTheLimitIsRefusedBeforeAllocating() throws {
        var bytes = try encodePNG(Image(width: 2, height: 2, channels: 3, pixels: [UInt8](repeating: 9, count: 12)))
        // IHDR data starts at byte 16: width, height (big-endian), then its CRC at byte 29.
        bytes.replaceSubrange(16..<24, with: bigEndian(30000, bytes: 4) + bigEndian(30000, bytes: 4))
        bytes.replaceSubrange(29..<33, with: bigEndian(Int(crc32(bytes[12..<29])), bytes: 4))
        #expect(throws: ImageIOError.tooLarge(file: "huge.png", width: 30000, height: 30000, limit: DecodeOptions.defaultMaxPixels)) {
            try decodeImage(Array(bytes.prefix(64)), name: "huge.png")
        }
    }

    @Test func jpegHeaderBeyondTheLimitIsRefusedBeforeAllocating() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("tiny-folder/circle/circle_03.jpg"))))
        // SOF0 (FF C0): length (2 bytes), precision (1), height (2), width (2).
        let sof = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes.replaceSubrange(sof + 5..<sof + 9, with: bigEndian(30000, bytes: 2) + bigEndian(30000, bytes: 2))
        #expect(throws: ImageIOError.tooLarge(file: "huge.jpg", width: 30000, height: 30000, limit: DecodeOptions.defaultMaxPixels)) {
            try decodeImage(bytes, name: "huge.jpg")
        }
    }

    @Test func limitIsConfigurable() throws {
        let bytes = try encodePNG(Image(width: 7, height: 5, channels: 1, pixels: [UInt8](repeating: 1, count: 35)))
        #expect(throws: ImageIOError.tooLarge(file: "small.png", width: 7, height: 5, limit: 34)) {
            try decodeImage(bytes, name: "small.png", options: DecodeOptions(maxPixels: 34))
        }
        #expect(try decodeImage(bytes, options: DecodeOptions(maxPixels: 35)).width == 7)
    }

    private func bigEndian(_ value: Int, bytes count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// CRC-32 as PNG defines it (ISO 3309, reflected polynomial 0xEDB88320), bit by bit.
    private func crc32(_ data: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
