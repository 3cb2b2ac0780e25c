import Foundation
import ImageIO

/// Training-time augmentation, each draw from a `CounterRandom` keyed by (seed, epoch, image).

/// Pads a (r, r, 3) input with `pad` zeros (the mean colour after normalisation) on every side,
/// takes the r×r window at a random offset in 0...2·pad, and mirrors it left-right when `flip`
/// draws true. Works in place on `tensor[offset..<offset + r·r·3]`.
func shiftAndFlip(_ tensor: inout [Float], offset: Int, resolution r: Int, pad: Int, flip: Bool, random: CounterRandom) {
    let dx = pad > 0 ? Int(random.bits(0) % UInt64(2 * pad + 1)) - pad : 0
    let dy = pad > 0 ? Int(random.bits(1) % UInt64(2 * pad + 1)) - pad : 0
    let mirror = flip && random.bits(2) & 1 == 1
    guard dx != 0 || dy != 0 || mirror else { return }
    let source = Array(tensor[offset..<(offset + r * r * 3)])
    for y in 0..<r {
        for x in 0..<r {
            let sx = (mirror ? r - 1 - x : x) + dx, sy = y + dy
            let inside = 0 <= sx && sx < r && 0 <= sy && sy < r
            for c in 0..<3 {
                tensor[offset + (y * r + x) * 3 + c] = inside ? source[(sy * r + sx) * 3 + c] : 0
            }
        }
    }
}

/// Inception's random-resized-crop box (Szegedy et al. 2015, as torchvision): area share drawn
/// uniformly from `scale`, aspect ratio log-uniformly from 3/4...4/3, position uniform; after ten
/// misses, the centred square of the shorter side. Returns the cropped image.
func randomResizedCrop(_ image: Image, scale: [Double], random: CounterRandom) -> Image {
    let area = Double(image.width * image.height)
    for attempt in 0..<10 {
        let share = scale[0] + (scale[1] - scale[0]) * random.unit(4 * attempt)
        let logRatio = log(3.0 / 4) + (log(4.0 / 3) - log(3.0 / 4)) * random.unit(4 * attempt + 1)
        let ratio = exp(logRatio)
        let w = Int((area * share * ratio).squareRoot().rounded())
        let h = Int((area * share / ratio).squareRoot().rounded())
        if 0 < w && w <= image.width && 0 < h && h <= image.height {
            let x = Int(random.bits(4 * attempt + 2) % UInt64(image.width - w + 1))
            let y = Int(random.bits(4 * attempt + 3) % UInt64(image.height - h + 1))
            return crop(image, x: x, y: y, width: w, height: h)
        }
    }
    let side = min(image.width, image.height)
    return crop(image, x: (image.width - side) / 2, y: (image.height - side) / 2, width: side, height: side)
}

/// The window (x, y, width, height) of `image`.
func crop(_ image: Image, x: Int, y: Int, width: Int, height: Int) -> Image {
    let c = image.channels
    var pixels = [UInt8](repeating: 0, count: width * height * c)
    for row in 0..<height {
        let from = ((y + row) * image.width + x) * c
        pixels[(row * width * c)..<((row + 1) * width * c)] = image.pixels[from..<(from + width * c)]
    }
    return Image(width: width, height: height, channels: c, pixels: pixels)
}
