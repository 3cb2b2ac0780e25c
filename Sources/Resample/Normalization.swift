/// The affine map from 8-bit values to network inputs: x = (v / 255 − mean[c]) / std[c].
public struct Normalization: Hashable, Sendable {
    public var mean: SIMD3<Float>
    public var std: SIMD3<Float>

    public init(mean: SIMD3<Float>, std: SIMD3<Float>) {
        precondition(all(std .!= 0), "normalisation std must be non-zero, got \(std)")
        self.mean = mean
        self.std = std
    }

    /// v / 255, in [0, 1].
    public static let unit = Normalization(mean: .zero, std: .one)
    /// torchvision's ImageNet statistics.
    public static let imagenet = Normalization(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// x = v · scale[c] + offset[c].
    var scale: SIMD3<Float> { 1 / (255 * std) }
    var offset: SIMD3<Float> { -mean / std }
}
