import Testing
@testable import ImageIO

@Suite struct PNGRoundTripTests {
    @Test func rgbImageSurvivesEncodeAndDecode() throws {
        let pixels = (0..<(7 * 5 * 3)).map { UInt8(($0 * 37) % 256) }
        let image = Image(width: 7, height: 5, channels: 3, pixels: pixels)
        let decoded = try decodeImage(try encodePNG(image))
        #expect(decoded == image)
    }

    @Test func grayImageStaysGray() throws {
        let image = Image(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 253, 254, 255])
        let decoded = try decodeImage(try encodePNG(image))
        #expect(decoded == image)
    }

    @Test func bytesThatAreNoImageAreRefusedByName() {
        #expect(throws: ImageIOError.unrecognizedFormat(file: "notes.txt")) {
            try decodeImage(Array("hello".utf8), name: "notes.txt")
        }
    }
}
