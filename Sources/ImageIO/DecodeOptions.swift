/// How images are decoded.
public struct DecodeOptions: Sendable, Equatable {
    /// Refuse larger images before allocating: Pillow's default `Image.MAX_IMAGE_PIXELS`
    /// (89,478,485) unless `RESLAB_MAX_PIXELS` or `--max-pixels` changes it (`InputLimit`).
    public static var defaultMaxPixels: Int { InputLimit.pixels.value }

    /// The largest width × height accepted.
    public var maxPixels: Int
    /// The colour that transparent pixels are composited over (RGB, 0–255).
    public var background: (red: UInt8, green: UInt8, blue: UInt8)
    /// libjpeg DCT scaling: decode JPEGs at 1/`jpegScaleDenominator` size (1, 2, 4 or 8).
    public var jpegScaleDenominator: Int

    public init(maxPixels: Int = DecodeOptions.defaultMaxPixels,
                background: (red: UInt8, green: UInt8, blue: UInt8) = (255, 255, 255),
                jpegScaleDenominator: Int = 1) {
        precondition([1, 2, 4, 8].contains(jpegScaleDenominator), "JPEG scale denominator must be 1, 2, 4 or 8")
        self.maxPixels = maxPixels
        self.background = background
        self.jpegScaleDenominator = jpegScaleDenominator
    }

    public static func == (a: DecodeOptions, b: DecodeOptions) -> Bool {
        a.maxPixels == b.maxPixels && a.background == b.background && a.jpegScaleDenominator == b.jpegScaleDenominator
    }
}
