/// How a sliding window's output size is rounded when the window does not tile the input:
/// `floor` drops the rows and columns the last window would overhang (30 → 15 → 7 loses one
/// row), `ceil` keeps one more window that overhangs into padding (30 → 15 → 8).
public enum Rounding: String, Codable, Sendable, CaseIterable {
    case floor, ceil
}

/// Padding of a convolution or pooling window.
public enum Padding: Equatable, Sendable {
    /// No padding.
    case valid
    /// TensorFlow's SAME: output = ⌈input / stride⌉, the padding split evenly with any odd
    /// row going after (bottom/right). Rounding does not apply.
    case same
    /// `p` rows/columns on every side.
    case explicit(Int)
    /// Different padding per side, as ONNX's `pads` (x1_begin, x2_begin, x1_end, x2_end) and
    /// PyTorch's `F.pad` allow: `top`/`bottom` rows, `left`/`right` columns.
    case asymmetric(top: Int, left: Int, bottom: Int, right: Int)

    /// The axis a window slides along: rows (height) or columns (width).
    public enum Axis: Sendable { case rows, columns }

    /// Explicit padding (before, after) along `axis`; nil for `valid` and `same`.
    func explicitSides(along axis: Axis) -> (before: Int, after: Int)? {
        switch self {
        case .valid, .same: return nil
        case let .explicit(p): return (p, p)
        case let .asymmetric(top, left, bottom, right): return axis == .rows ? (top, bottom) : (left, right)
        }
    }

    /// Every explicit side, for range checks (empty for `valid` and `same`).
    var explicitValues: [Int] {
        switch self {
        case .valid, .same: return []
        case let .explicit(p): return [p]
        case let .asymmetric(top, left, bottom, right): return [top, left, bottom, right]
        }
    }
}

/// A convolution: `kernelHeight`×`kernelWidth` windows, `filters` outputs, with bias.
///
/// With `groups` = g the C input channels and F filters are split into g groups: filter f reads
/// only the C/g channels of group ⌊f·g/F⌋ (weights (kh, kw, C/g, F)). g = C = F is a depthwise
/// convolution (MobileNet's 3×3 per channel); C and F must both be multiples of g.
public struct ConvSpec: Equatable, Sendable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var filters: Int
    public var stride = 1
    public var dilation = 1
    public var padding = Padding.same
    public var rounding = Rounding.floor
    public var groups = 1

    public init(kernelHeight: Int, kernelWidth: Int, filters: Int, stride: Int = 1, dilation: Int = 1,
                padding: Padding = .same, rounding: Rounding = .floor, groups: Int = 1) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.filters = filters
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        self.rounding = rounding
        self.groups = groups
    }
}

/// A max or average pooling window of `kernel`×`kernel` (stride defaults to the kernel).
/// Padded positions never win a max. An average divides by the window's positions inside the
/// input, or, with `countIncludePad` (PyTorch's `count_include_pad=True`, ONNX's
/// `count_include_pad=1`), by every position of the window that lies within the explicit
/// padding (ceil rounding's overhang past the padding is never counted, as in PyTorch).
public struct PoolSpec: Equatable, Sendable {
    public var kernel: Int
    public var stride: Int
    public var padding = Padding.valid
    public var rounding = Rounding.floor
    public var countIncludePad = false

    public init(kernel: Int, stride: Int? = nil, padding: Padding = .valid, rounding: Rounding = .floor,
                countIncludePad: Bool = false) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.rounding = rounding
        self.countIncludePad = countIncludePad
    }
}

/// One layer of a model, as data. Encoded (Codable) as its short text form, e.g.
/// `conv 3x3 32 stride 2`, `maxpool 2`, `dense 10` (see `LayerSpec(parsing:)`).
public enum LayerSpec: Equatable, Sendable {
    case conv(ConvSpec)
    case relu
    case maxPool(PoolSpec)
    case avgPool(PoolSpec)
    /// Global average pooling: (H, W, C) → (1, 1, C).
    case globalAvgPool
    /// Global max pooling: (H, W, C) → (1, 1, C).
    case globalMaxPool
    /// BlurPool (Zhang 2019): a fixed binomial low-pass filter of `filter` taps per axis with
    /// reflect padding, evaluated every `stride` pixels; output = ⌈input / stride⌉.
    case blurPool(stride: Int, filter: Int)
    /// (H, W, C) → (1, 1, H·W·C), row-major: ties the model to the resolution it was built at.
    case flatten
    /// Fully connected: (1, 1, K) → (1, 1, units).
    case dense(units: Int)
    /// Batch normalisation over N, H, W per channel (Ioffe & Szegedy 2015).
    case batchNorm
    /// Inverted dropout: in training each value is zeroed with probability `rate` and the rest
    /// scaled by 1 / (1 − rate); identity in evaluation.
    case dropout(rate: Float)
    /// An elementwise activation other than ReLU (ReLU6, sigmoid, hard-swish, …), shape unchanged.
    case activation(Activation)
    /// The elementwise sum of two or more inputs of one shape (H, W, C); an input of (1, 1, C)
    /// is broadcast over H and W. A residual connection's merge.
    case add
    /// The elementwise product of two inputs: (H, W, C) × (H, W, C), or (H, W, C) × (1, 1, C)
    /// broadcast over H and W (squeeze-and-excitation's channel gate).
    case multiply
    /// Inputs of one height and width stacked along channels: (H, W, C₁), (H, W, C₂), … →
    /// (H, W, C₁ + C₂ + …), in input order.
    case concat
    /// Softmax over the channels of flat features (1, 1, K): probabilities instead of logits.
    case softmax
    /// y = γ·x + β per channel, γ and β parameters (C each): a constant per-channel scale and
    /// shift, e.g. an imported Mul/Add/Sub/Div by constants or a normalisation baked into a model.
    case affine
    /// y = x + B with B a parameter of (height, width, C). A per-channel bias when height =
    /// width = 1; otherwise a fixed positional term that only maps of exactly height×width take.
    case bias(height: Int, width: Int)
}

/// Elementwise activation functions other than ReLU (which stays its own layer, `LayerSpec.relu`).
public enum Activation: Equatable, Sendable {
    /// min(max(x, lower), upper); ReLU6 is clip(0, 6) (MobileNetV2), written `relu6`.
    case clip(lower: Float, upper: Float)
    /// x for x ≥ 0, slope·x below (PyTorch's default slope 0.01).
    case leakyReLU(slope: Float)
    /// σ(x) = 1 / (1 + e^(−x)).
    case sigmoid
    /// max(0, min(1, α·x + β)); PyTorch's `Hardsigmoid` is α = 1/6, β = 1/2 (ONNX's default α = 0.2).
    case hardSigmoid(alpha: Float, beta: Float)
    /// x · min(max(x + 3, 0), 6) / 6 (Howard et al. 2019, MobileNetV3).
    case hardSwish
    /// x · σ(x), also called swish (EfficientNet).
    case silu
    /// x · Φ(x) with Φ the standard normal CDF, the exact (erf) form (PyTorch's default).
    case gelu
    /// tanh(x).
    case tanh

    /// ReLU6, clip(0, 6).
    public static let relu6 = Activation.clip(lower: 0, upper: 6)
}

extension LayerSpec {
    /// The layer's window geometry with this rounding rule (other layers are returned unchanged).
    public func withRounding(_ rounding: Rounding) -> LayerSpec {
        switch self {
        case var .conv(spec) where spec.stride > 1:
            spec.rounding = rounding
            return .conv(spec)
        case var .maxPool(spec):
            spec.rounding = rounding
            return .maxPool(spec)
        case var .avgPool(spec):
            spec.rounding = rounding
            return .avgPool(spec)
        default:
            return self
        }
    }

    /// Checks ranges (positive sizes, dropout rate in [0, 1)).
    func validate() throws {
        func require(_ condition: Bool, _ reason: String) throws {
            if !condition { throw NNError.invalidLayer(layer: description, reason: reason) }
        }
        func check(_ padding: Padding, kernel: Int) throws {
            for p in padding.explicitValues {
                try require(p >= 0, "padding must not be negative")
                try require(p < kernel, "padding \(p) must be smaller than the window (\(kernel))")
            }
        }
        switch self {
        case let .conv(spec):
            try require(spec.kernelHeight > 0 && spec.kernelWidth > 0, "the kernel size must be positive")
            try require(spec.filters > 0, "the number of filters must be positive")
            try require(spec.stride > 0, "the stride must be positive")
            try require(spec.dilation > 0, "the dilation must be positive")
            try require(spec.groups > 0, "the number of groups must be positive")
            try require(spec.filters % spec.groups == 0, "the \(spec.filters) filters must split evenly into \(spec.groups) groups")
            try require(spec.padding.explicitValues.allSatisfy { $0 >= 0 }, "padding must not be negative")
        case let .maxPool(spec), let .avgPool(spec):
            try require(spec.kernel > 0, "the window size must be positive")
            try require(spec.stride > 0, "the stride must be positive")
            try check(spec.padding, kernel: spec.kernel)
        case let .blurPool(stride, filter):
            try require(stride > 0, "the stride must be positive")
            try require((1...7).contains(filter), "the filter must have 1 to 7 taps")
        case let .dense(units):
            try require(units > 0, "the number of units must be positive")
        case let .dropout(rate):
            try require(rate >= 0 && rate < 1, "the rate must be at least 0 and below 1")
        case let .activation(.clip(lower, upper)):
            try require(lower.isFinite && upper.isFinite && lower < upper, "clip needs finite bounds with lower < upper")
        case let .activation(.leakyReLU(slope)):
            try require(slope.isFinite, "the slope must be a finite number")
        case let .activation(.hardSigmoid(alpha, beta)):
            try require(alpha.isFinite && beta.isFinite && alpha != 0, "hard-sigmoid needs a finite, non-zero alpha and a finite beta")
        case let .bias(height, width):
            try require(height > 0 && width > 0, "the bias's height and width must be positive")
        case .relu, .globalAvgPool, .globalMaxPool, .flatten, .batchNorm, .activation, .add, .multiply, .concat,
             .softmax, .affine:
            break
        }
    }

    /// How many inputs the layer reads: exactly one, exactly two (multiply), or two or more (add, concat).
    public var arity: ClosedRange<Int> {
        switch self {
        case .add, .concat: return 2...Int.max
        case .multiply: return 2...2
        default: return 1...1
        }
    }

    /// `arity` in words, for sentences: "one input", "2 inputs", "2 or more inputs".
    var arityDescription: String {
        arity.upperBound == Int.max ? "\(arity.lowerBound) or more inputs" : arity.lowerBound == 1 ? "one input" : "\(arity.lowerBound) inputs"
    }
}
