import ImageIO
import Resample

/// Per-thread resize scratch (coefficient tables and buffers of the Resample module).
typealias ResizeWorkspace = ResizeScratch

/// Resizes `image` to size×size into `output`, (size, size, C) row-major HWC with C =
/// `mean.count`, the data's channels (`ColorMode`): 3, a grayscale image repeated in each, or 1,
/// an RGB image taken as its luma (`Image.grayscale`) before resizing.
/// x = (v/255 − mean[c]) / std[c], with the experiment's resize method and crop mode.
func resizeImage(_ image: Image, into output: UnsafeMutablePointer<Float>, size: Int, method: ResizeMethod,
                 crop: TestCrop, mean: [Float], std: [Float], workspace: ResizeWorkspace) {
    let channels = mean.count
    let perChannel = { (values: [Float]) in SIMD3((0..<3).map { values[min($0, values.count - 1)] }) }
    resize(channels == 1 ? image.grayscale() : image, into: output, width: size, height: size, method: method,
           geometry: crop.geometry, normalization: Normalization(mean: perChannel(mean), std: perChannel(std)),
           channels: channels, scratch: workspace)
}
