import CImageShim

/// Encodes an image as an 8-bit PNG (gray or RGB) through libpng.
public func encodePNG(_ image: Image) throws -> [UInt8] {
    var messages = rl_messages()
    var output: UnsafeMutablePointer<UInt8>?
    var size = 0
    let status = image.pixels.withUnsafeBufferPointer {
        rl_png_encode($0.baseAddress, UInt32(image.width), UInt32(image.height), Int32(image.channels), &output, &size, &messages)
    }
    guard status == 0, let output else { throw ImageIOError.encodeFailed(reason: string(fromCBuffer: messages.error)) }
    defer { rl_free(output) }
    return Array(UnsafeBufferPointer(start: output, count: size))
}
