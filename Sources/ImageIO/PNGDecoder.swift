import CImageShim

/// Decodes a PNG through libpng's classic API (gAMA is not applied, as in Pillow).
///
/// Every colour type and bit depth is expanded to 8-bit gray or RGB: palettes become RGB,
/// 1/2/4-bit gray is scaled to 0–255, 16-bit samples keep their high byte (as Pillow does),
/// and alpha (from an alpha channel or tRNS) is composited over `options.background`.
func decodePNG(_ bytes: [UInt8], name: String, options: DecodeOptions) throws -> Image {
    var messages = rl_messages()
    var info = rl_png_info()
    return try bytes.withUnsafeBufferPointer { data in
        guard let reader = rl_png_open(data.baseAddress, data.count, &info, &messages) else {
            throw ImageIOError.corrupt(file: name, reason: string(fromCBuffer: messages.error))
        }
        defer { rl_png_close(reader) }
        let width = Int(info.width), height = Int(info.height)
        guard width * height <= options.maxPixels else {
            throw ImageIOError.tooLarge(file: name, width: width, height: height, limit: options.maxPixels)
        }
        let channels = Int(info.channels), bytesPerSample = Int(info.bit_depth) / 8
        let rowBytes = width * channels * bytesPerSample
        var samples = [UInt8](repeating: 0, count: rowBytes * height)
        let status = samples.withUnsafeMutableBufferPointer { rl_png_read(reader, $0.baseAddress, rowBytes, &messages) }
        guard status == 0 else { throw ImageIOError.corrupt(file: name, reason: string(fromCBuffer: messages.error)) }
        let eightBit = bytesPerSample == 2 ? highBytes(ofLittleEndian16: samples) : samples
        return composite(eightBit, width: width, height: height, channels: channels, over: options.background)
    }
}

/// The high byte of each little-endian 16-bit sample.
func highBytes(ofLittleEndian16 samples: [UInt8]) -> [UInt8] {
    (0..<samples.count / 2).map { samples[2 * $0 + 1] }
}

/// Turns 1–4 channel 8-bit samples into a gray or RGB `Image`, compositing alpha over
/// `background`: out = (c·a + bg·(255 − a) + 127) / 255, in integers.
/// Gray with alpha stays gray when the background is gray, and becomes RGB otherwise.
func composite(_ samples: [UInt8], width: Int, height: Int, channels: Int,
               over background: (red: UInt8, green: UInt8, blue: UInt8)) -> Image {
    let count = width * height
    func blend(_ c: UInt8, _ a: UInt8, _ bg: UInt8) -> UInt8 {
        let alpha = Int(a)
        let sum: Int = Int(c) * alpha + Int(bg) * (255 - alpha) + 127
        return UInt8(sum / 255)
    }
    let grayBackground = background.red == background.green && background.green == background.blue
    switch channels {
    case 1, 3:
        return Image(width: width, height: height, channels: channels, pixels: samples)
    case 2 where grayBackground:
        let pixels = (0..<count).map { blend(samples[2 * $0], samples[2 * $0 + 1], background.red) }
        return Image(width: width, height: height, channels: 1, pixels: pixels)
    default:
        let stride = channels, colorChannels = channels == 2 ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: count * 3)
        let bg = [background.red, background.green, background.blue]
        for i in 0..<count {
            let alpha = samples[i * stride + stride - 1]
            for c in 0..<3 {
                let value = samples[i * stride + (colorChannels == 1 ? 0 : c)]
                pixels[3 * i + c] = blend(value, alpha, bg[c])
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }
}

/// A C message buffer as a Swift string.
func string<T>(fromCBuffer buffer: T) -> String {
    withUnsafeBytes(of: buffer) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
