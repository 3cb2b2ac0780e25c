import Foundation
import ImageIO

/// A grayscale zone plate of `size × size` pixels: v = 127.5 + 127.5 · cos(π r² / size), r the
/// distance in pixels from the centre. Its local frequency is r / size cycles per pixel: zero in
/// the centre, the Nyquist limit ½ at the middle of each edge and beyond it in the corners, so
/// every frequency a downscale must remove is present and its aliases are easy to see.
public func zonePlate(size: Int) -> Image {
    precondition(size > 0, "zone plate size must be positive, got \(size)")
    let centre = Double(size) / 2
    var pixels = [UInt8](repeating: 0, count: size * size)
    for y in 0..<size {
        for x in 0..<size {
            let dx = Double(x) + 0.5 - centre, dy = Double(y) + 0.5 - centre
            let v = 127.5 + 127.5 * cos(Double.pi * (dx * dx + dy * dy) / Double(size))
            pixels[y * size + x] = UInt8(v.rounded())
        }
    }
    return Image(width: size, height: size, channels: 1, pixels: pixels)
}
