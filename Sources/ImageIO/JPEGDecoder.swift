import CImageShim

/// Decodes a JPEG through libjpeg(-turbo).
///
/// Grayscale stays 1 channel; YCbCr and RGB files become RGB; CMYK and YCCK files are decoded as
/// CMYK (libjpeg-turbo refuses RGB output for them) and converted here: R = (255 − C)(255 − K)/255,
/// with Adobe files storing inverted values. libjpeg only *warns* on truncated or corrupt data
/// and fills the rest grey; such warnings are errors here.
func decodeJPEG(_ bytes: [UInt8], name: String, options: DecodeOptions) throws -> Image {
    var messages = rl_messages()
    var info = rl_jpeg_info()
    return try bytes.withUnsafeBufferPointer { data in
        guard let reader = rl_jpeg_open(data.baseAddress, data.count, Int32(options.jpegScaleDenominator), &info, &messages) else {
            throw ImageIOError.corrupt(file: name, reason: message(messages.error))
        }
        defer { rl_jpeg_close(reader) }
        guard info.data_precision == 8 else {
            throw ImageIOError.unsupported(file: name, reason: "\(info.data_precision)-bit samples")
        }
        let storedPixels = Int(info.image_width) * Int(info.image_height)
        guard storedPixels <= options.maxPixels else {
            throw ImageIOError.tooLarge(file: name, width: Int(info.image_width), height: Int(info.image_height), limit: options.maxPixels)
        }
        let width = Int(info.output_width), height = Int(info.output_height), components = Int(info.output_components)
        let rowBytes = width * components
        var samples = [UInt8](repeating: 0, count: rowBytes * height)
        let status = samples.withUnsafeMutableBufferPointer { rl_jpeg_read(reader, $0.baseAddress, rowBytes, &messages) }
        guard status == 0 else { throw ImageIOError.corrupt(file: name, reason: message(messages.error)) }
        if messages.warning_count > 0 {
            throw ImageIOError.corrupt(file: name, reason: message(messages.first_warning))
        }
        if components == 4 {
            return rgb(fromCMYK: samples, width: width, height: height, inverted: info.adobe_marker != 0)
        }
        return Image(width: width, height: height, channels: components, pixels: samples)
    }
}

/// CMYK → RGB as Pillow does: R = (255 − C)(255 − K) / 255 (rounded), likewise G from M and B from Y.
/// Adobe files store 255 − value, so there R = C'·K' / 255.
func rgb(fromCMYK samples: [UInt8], width: Int, height: Int, inverted: Bool) -> Image {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for i in 0..<width * height {
        let k = Int(inverted ? samples[4 * i + 3] : 255 - samples[4 * i + 3])
        for c in 0..<3 {
            let ink = Int(inverted ? samples[4 * i + c] : 255 - samples[4 * i + c])
            pixels[3 * i + c] = UInt8((ink * k + 127) / 255)
        }
    }
    return Image(width: width, height: height, channels: 3, pixels: pixels)
}
