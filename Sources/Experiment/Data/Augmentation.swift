import Foundation
import ImageIO

/// Training-time augmentation, each draw from a `CounterRandom` keyed by (seed, epoch, image).

/// Pads a normalised (r, r, C) input (C = `mean.count`) by `pad` pixels of `fill` on every side, takes the r×r
/// window at a random offset in 0...2·pad, and mirrors it left-right when `flip` draws true, as
/// torchvision's `RandomCrop(r, padding=pad)` then `RandomHorizontalFlip()` on the image before
/// `Normalize`. Works in place on `tensor[offset..<offset + r·r·C]`.
func shiftAndFlip(_ tensor: inout [Float], offset: Int, resolution r: Int, pad: Int, flip: Bool, fill: PadFill,
                  mean: [Float], std: [Float], random: CounterRandom) {
    let dx = pad > 0 ? Int(random.bits(0) % UInt64(2 * pad + 1)) - pad : 0
    let dy = pad > 0 ? Int(random.bits(1) % UInt64(2 * pad + 1)) - pad : 0
    let mirror = flip && random.bits(2) & 1 == 1
    shift(&tensor, offset: offset, resolution: r, dx: dx, dy: dy, mirror: mirror, fill: fill, mean: mean, std: std)
}

/// Output pixel (x, y) = padded input at ((mirror ? r−1−x : x) + dx, y + dy), where a position
/// outside the input reads `fill`: black is the pixel value 0, i.e. (0 − mean) / std after
/// normalisation (torchvision's `fill=0`); mean is 0 after normalisation, the dataset's mean
/// colour; reflect mirrors the input about its edge pixel without repeating it (`padding_mode=
/// "reflect"`: −1 reads 1, r reads r − 2).
func shift(_ tensor: inout [Float], offset: Int, resolution r: Int, dx: Int, dy: Int, mirror: Bool, fill: PadFill,
           mean: [Float], std: [Float]) {
    guard dx != 0 || dy != 0 || mirror else { return }
    let channels = mean.count
    let source = Array(tensor[offset..<(offset + r * r * channels)])
    let black = (0..<channels).map { -mean[$0] / std[$0] }
    /// A coordinate reflected into 0..<r (period 2·(r − 1), so any padding works).
    func reflected(_ s: Int) -> Int {
        guard r > 1 else { return 0 }
        let period = 2 * (r - 1)
        let m = ((s % period) + period) % period
        return m < r ? m : period - m
    }
    for y in 0..<r {
        for x in 0..<r {
            var sx = (mirror ? r - 1 - x : x) + dx, sy = y + dy
            let inside = 0 <= sx && sx < r && 0 <= sy && sy < r
            if !inside && fill == .reflect { (sx, sy) = (reflected(sx), reflected(sy)) }
            for c in 0..<channels {
                let value: Float
                if inside || fill == .reflect { value = source[(sy * r + sx) * channels + c] } else { value = fill == .black ? black[c] : 0 }
                tensor[offset + (y * r + x) * channels + c] = value
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
