import ImageIO
import Resample

/// Per-thread resize scratch (coefficient tables and buffers of the Resample module).
typealias ResizeWorkspace = ResizeScratch

/// Resizes `image` to size×size into `output`, (size, size, 3) row-major HWC,
/// x = (v/255 − mean[c]) / std[c], with the experiment's filter, antialias and crop mode.
func resizeImage(_ image: Image, into output: UnsafeMutablePointer<Float>, size: Int, filter: FilterName,
                 antialias: Bool, crop: TestCrop, mean: [Float], std: [Float], workspace: ResizeWorkspace) {
    resize(image, into: output, width: size, height: size,
           method: ResizeMethod(Filter(rawValue: filter.rawValue)!, antialias: antialias), geometry: crop.geometry,
           normalization: Normalization(mean: SIMD3(mean), std: SIMD3(std)), scratch: workspace)
}
