/// An 8-bit image, row-major and interleaved: pixel (x, y), channel c is at
/// `pixels[(y * width + x) * channels + c]`.
///
/// `channels` is 1 (grayscale) or 3 (RGB). Alpha never survives decoding: it is composited over
/// `DecodeOptions.background` (see `ImageDecoder`).
public struct Image: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    /// (height, width, channels), row-major.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "Image holds 1 or 3 channels, not \(channels)")
        precondition(width > 0 && height > 0 && pixels.count == width * height * channels,
                     "Image of \(width)×\(height)×\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public var isGrayscale: Bool { channels == 1 }

    /// The same image with 3 channels; a grayscale image repeats its value in R, G and B.
    public func rgb() -> Image {
        if channels == 3 { return self }
        var expanded = [UInt8](repeating: 0, count: width * height * 3)
        for (i, value) in pixels.enumerated() {
            expanded[3 * i] = value
            expanded[3 * i + 1] = value
            expanded[3 * i + 2] = value
        }
        return Image(width: width, height: height, channels: 3, pixels: expanded)
    }

    /// The same image with 1 channel; an RGB image becomes its ITU-R 601-2 luma in Pillow's
    /// fixed point (`convert("L")`, `L24` in libImaging/Convert.c):
    /// L = (19595·R + 38470·G + 7471·B + 2¹⁵) >> 16.
    public func grayscale() -> Image {
        if channels == 1 { return self }
        var luma = [UInt8](repeating: 0, count: width * height)
        for i in luma.indices {
            let (r, g, b) = (Int(pixels[3 * i]), Int(pixels[3 * i + 1]), Int(pixels[3 * i + 2]))
            luma[i] = UInt8((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16)
        }
        return Image(width: width, height: height, channels: 1, pixels: luma)
    }
}
