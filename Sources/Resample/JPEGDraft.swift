import ImageIO

/// Decodes image bytes that are about to be resized to `width × height` with `geometry`.
///
/// With `draft` (off by default), a JPEG that is at least twice as large as the size the resize
/// samples from is decoded by libjpeg at 1/2, 1/4 or 1/8 scale (DCT-domain scaling, like
/// Pillow's `Image.draft`), and the exact resize then starts from that smaller image. This is
/// several times faster for large reductions but changes pixels slightly: the DCT scaling
/// averages 2×2, 4×4 or 8×8 blocks in the frequency domain instead of applying the chosen
/// filter to the full image. PNGs, and JPEGs too small to gain, decode at full size.
public func decodeForResize(_ bytes: [UInt8], name: String = "<memory>", width: Int, height: Int,
                            geometry: Geometry = .squash, draft: Bool = false,
                            options: DecodeOptions = DecodeOptions()) throws -> Image {
    var options = options
    if draft, let (jpegWidth, jpegHeight) = jpegDimensions(bytes) {
        let plan = ResizePlan(inWidth: jpegWidth, inHeight: jpegHeight, width: width, height: height, geometry: geometry)
        options.jpegScaleDenominator = draftDenominator(from: (jpegWidth, jpegHeight), to: (plan.scaledWidth, plan.scaledHeight))
    }
    return try decodeImage(bytes, name: name, options: options)
}

/// Pillow's draft rule: the largest d in 8, 4, 2, 1 with d ≤ min(⌊W / w⌋, ⌊H / h⌋), so that the
/// decoded image (⌈W / d⌉ × ⌈H / d⌉) is at least the size the resize samples from.
func draftDenominator(from source: (Int, Int), to target: (Int, Int)) -> Int {
    let ratio = min(source.0 / max(target.0, 1), source.1 / max(target.1, 1))
    return [8, 4, 2, 1].first { $0 <= ratio } ?? 1
}

/// Width and height from a JPEG's start-of-frame segment, or nil if `bytes` is no JPEG or its
/// markers end before one. Only the marker structure is read; decoding errors surface later.
func jpegDimensions(_ bytes: [UInt8]) -> (Int, Int)? {
    guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
    var i = 2
    while i + 9 < bytes.count {
        guard bytes[i] == 0xFF else { return nil }
        let marker = bytes[i + 1]
        if marker == 0xFF { i += 1; continue }  // fill byte
        if marker == 0x01 || (0xD0...0xD8).contains(marker) { i += 2; continue }  // no payload
        // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): length(2) precision(1) height(2) width(2).
        if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
            let height = Int(bytes[i + 5]) << 8 | Int(bytes[i + 6])
            let width = Int(bytes[i + 7]) << 8 | Int(bytes[i + 8])
            return width > 0 && height > 0 ? (width, height) : nil
        }
        i += 2 + (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]))
    }
    return nil
}
