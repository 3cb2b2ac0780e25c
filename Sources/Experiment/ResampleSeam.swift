import ImageIO

// TEMPORARY seam until the Resample module lands: nearest-neighbour squash only.

/// Per-thread resize scratch.
final class ResizeWorkspace {}

/// Resizes `image` to size×size into `output`, (size, size, 3) row-major HWC,
/// x = (v/255 − mean[c]) / std[c].
func resizeImage(_ image: Image, into output: UnsafeMutablePointer<Float>, size: Int, filter: FilterName,
                 antialias: Bool, crop: TestCrop, mean: [Float], std: [Float], workspace: ResizeWorkspace) {
    for y in 0..<size {
        let sy = min(image.height - 1, (y * image.height) / size)
        for x in 0..<size {
            let sx = min(image.width - 1, (x * image.width) / size)
            for c in 0..<3 {
                let v = Float(image.pixels[(sy * image.width + sx) * image.channels + min(c, image.channels - 1)])
                output[(y * size + x) * 3 + c] = (v / 255 - mean[c]) / std[c]
            }
        }
    }
}
