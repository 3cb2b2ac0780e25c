import CImageShim

/// Decodes a JPEG through libjpeg(-turbo), then applies its EXIF orientation (see
/// `EXIFOrientation`) so that the image comes out upright, as Pillow's `ImageOps.exif_transpose`.
///
/// Grayscale stays 1 channel; YCbCr and RGB files become RGB; CMYK and YCCK files are decoded as
/// CMYK (libjpeg-turbo refuses RGB output for them) and converted by `rgb(fromCMYK:)`.
/// libjpeg only *warns* on truncated or corrupt data and fills the rest grey; the warnings that
/// `JPEGWarning.isFatal(progressive:)` names are errors here.
func decodeJPEG(_ bytes: [UInt8], name: String, options: DecodeOptions) throws -> Image {
    let decoded = try decodeJPEGKeepingWarnings(bytes, name: name, options: options)
    if let fatal = decoded.warnings.first(where: { $0.isFatal(progressive: decoded.progressive) }) {
        throw ImageIOError.corrupt(file: name, reason: fatal.message)
    }
    let orientation = EXIFOrientation(jpeg: bytes)
    return decoded.image.transformed(by: orientation)
}

/// A decoded JPEG as stored (no EXIF orientation applied), with every warning libjpeg raised.
struct DecodedJPEG {
    var image: Image
    var warnings: [JPEGWarning]
    /// Whether the file is progressive (SOF2/SOF10), which changes what a short scan means.
    var progressive: Bool
}

/// Decodes without judging warnings. Throws on libjpeg's fatal errors (mapping 12-bit, lossless
/// and arithmetic coding without library support to `unsupported`) and on the pixel limit, which
/// is checked from the header before the pixel buffer is allocated.
func decodeJPEGKeepingWarnings(_ bytes: [UInt8], name: String, options: DecodeOptions) throws -> DecodedJPEG {
    var messages = rl_messages()
    var info = rl_jpeg_info()
    return try bytes.withUnsafeBufferPointer { data in
        guard let reader = rl_jpeg_open(data.baseAddress, data.count, Int32(options.jpegScaleDenominator), &info, &messages) else {
            throw jpegError(messages, file: name)
        }
        defer { rl_jpeg_close(reader) }
        guard info.data_precision == 8 else {
            throw ImageIOError.unsupported(file: name, reason: "it has \(info.data_precision)-bit samples; only 8-bit JPEG is supported")
        }
        let storedPixels = Int(info.image_width) * Int(info.image_height)
        guard storedPixels <= options.maxPixels else {
            throw ImageIOError.tooLarge(file: name, width: Int(info.image_width), height: Int(info.image_height), limit: options.maxPixels)
        }
        let width = Int(info.output_width), height = Int(info.output_height), components = Int(info.output_components)
        let rowBytes = width * components
        var samples = [UInt8](repeating: 0, count: rowBytes * height)
        let status = samples.withUnsafeMutableBufferPointer { rl_jpeg_read(reader, $0.baseAddress, rowBytes, &messages) }
        guard status == 0 else { throw jpegError(messages, file: name) }
        let image = components == 4
            ? rgb(fromCMYK: samples, width: width, height: height, inverted: info.adobe_marker != 0)
            : Image(width: width, height: height, channels: components, pixels: samples)
        return DecodedJPEG(image: image, warnings: JPEGWarning.all(in: messages), progressive: info.progressive != 0)
    }
}

/// CMYK → RGB as Pillow does: R = (255 − C)(255 − K) / 255 (rounded), likewise G from M and B from Y.
/// Adobe files (APP14, which YCCK always has) store 255 − value, so there R = C'·K' / 255.
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
