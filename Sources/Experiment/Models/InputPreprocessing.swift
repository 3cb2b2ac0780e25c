/// How an imported model wants its input, with timm's and torchvision's defaults: NCHW, RGB,
/// pixels scaled to [0, 1], then ImageNet's mean and std. The model's input channel c is
///
///     x_c = (k · p_σ(c) − mean_c) / std_c
///
/// where p is the decoded pixel in [0, 1] (RGB), k = 1 for `0-1` or 255 for `0-255`, and σ the
/// channel order (identity for RGB, reversed for BGR): `mean` and `std` are stated in the model's
/// own channel order and pixel range, as Caffe-style configurations write them
/// (`[103.53, 116.28, 123.675]` for BGR, 0–255).
public struct InputPreprocessing: Codable, Hashable, Sendable {
    /// The range the model's pixels are in before the mean is subtracted.
    public enum PixelRange: String, ConfigEnum, Sendable {
        case unit = "0-1", byte = "0-255"

        /// k: what a [0, 1] pixel is multiplied by.
        var scale: Double { self == .unit ? 1 : 255 }
    }

    /// The order of the model's colour channels.
    public enum ChannelOrder: String, ConfigEnum, Sendable { case rgb, bgr }

    /// How the model's input tensor is laid out: ONNX's usual (N, C, H, W), or tf2onnx's (N, H, W, C).
    public enum Layout: String, ConfigEnum, Sendable { case nchw, nhwc }

    public static let imageNetMean = [0.485, 0.456, 0.406]
    public static let imageNetStd = [0.229, 0.224, 0.225]

    public var mean = InputPreprocessing.imageNetMean
    public var std = InputPreprocessing.imageNetStd
    public var pixelRange = PixelRange.unit
    public var channelOrder = ChannelOrder.rgb
    public var layout = Layout.nchw
    /// The size the model was trained at; nil: the model's static input size.
    public var trainSize: Int?

    public init() {}

    /// Nil when `values` can be `name` (`--mean`, `std`, …): 3 finite numbers in the model's
    /// channel order, all positive for a std; else the sentence saying what to give.
    public static func channelProblem(_ values: [Double], name: String, isStd: Bool) -> String? {
        let example = isStd ? "0.229,0.224,0.225" : "0.485,0.456,0.406"
        guard values.count == 3, values.allSatisfy(\.isFinite) else {
            return "\(name) takes 3 finite numbers, one per channel in the model's channel order (e.g. \(example)); found \(values.count == 3 ? "a value that is not finite" : "\(values.count)")."
        }
        if isStd, let bad = values.first(where: { !($0 > 0) }) {
            return "\(name) must be positive in every channel (each divides the pixels); found \(bad)."
        }
        return nil
    }

    /// The per-channel mean and std, in RGB order and on [0, 1] pixels, that give the model's
    /// input before the channel reorder: (p_rgb − mean') / std' with mean' = mean_σ⁻¹/k,
    /// std' = std_σ⁻¹/k (σ is its own inverse).
    var rgbNormalization: (mean: [Float], std: [Float]) {
        let k = pixelRange.scale
        let order = channelOrder == .rgb ? [0, 1, 2] : [2, 1, 0]
        return (order.map { Float(mean[$0] / k) }, order.map { Float(std[$0] / k) })
    }
}

/// What runs around an imported network: its input made from the pipeline's (N, r, r, 3) RGB
/// tensor normalised with the data's mean and std, and its outputs picked for the data's classes.
struct ImportedIO: Sendable {
    /// x'_c = scale_c · x_source(c) + shift_c per channel of the last axis.
    var source: [Int]
    var scale: [Float]
    var shift: [Float]
    /// The model output that scores each data class; nil when they are the same.
    var outputs: [Int]?

    /// The adapter from data normalised with `dataMean`/`dataStd` (RGB, [0, 1]) to `preprocessing`:
    /// p = x·s_d + m_d, then x' = (p − m')/s' with (m', s') = `rgbNormalization`, reordered.
    init(preprocessing: InputPreprocessing, dataMean: [Float], dataStd: [Float], outputs: [Int]?) {
        let (mean, std) = preprocessing.rgbNormalization
        source = preprocessing.channelOrder == .rgb ? [0, 1, 2] : [2, 1, 0]
        scale = source.map { dataStd[$0] / std[$0] }
        shift = source.map { (dataMean[$0] - mean[$0]) / std[$0] }
        self.outputs = outputs
    }

    /// Whether the input passes through untouched (the data was normalised for this model).
    var isIdentity: Bool { source == [0, 1, 2] && scale.allSatisfy { $0 == 1 } && shift.allSatisfy { $0 == 0 } }

    /// The model's input from the pipeline's (…, 3) tensor.
    func input(_ x: [Float]) -> [Float] {
        guard !isIdentity else { return x }
        var out = x
        for i in stride(from: 0, to: x.count, by: 3) {
            for c in 0..<3 { out[i + c] = scale[c] * x[i + source[c]] + shift[c] }
        }
        return out
    }

    /// The data classes' scores (N, classes) from the model's (N, outputs) scores.
    func classScores(_ logits: [Float], count: Int) -> [Float] {
        guard let outputs else { return logits }
        let width = logits.count / max(count, 1)
        return (0..<count).flatMap { row in outputs.map { logits[row * width + $0] } }
    }
}
