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
}

/// A convolution: `kernelHeight`×`kernelWidth` windows, `filters` outputs, with bias.
public struct ConvSpec: Equatable, Sendable {
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var filters: Int
    public var stride = 1
    public var dilation = 1
    public var padding = Padding.same
    public var rounding = Rounding.floor

    public init(kernelHeight: Int, kernelWidth: Int, filters: Int, stride: Int = 1, dilation: Int = 1,
                padding: Padding = .same, rounding: Rounding = .floor) {
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.filters = filters
        self.stride = stride
        self.dilation = dilation
        self.padding = padding
        self.rounding = rounding
    }
}

/// A max or average pooling window of `kernel`×`kernel` (stride defaults to the kernel).
/// Padded positions never win a max and are not counted in an average.
public struct PoolSpec: Equatable, Sendable {
    public var kernel: Int
    public var stride: Int
    public var padding = Padding.valid
    public var rounding = Rounding.floor

    public init(kernel: Int, stride: Int? = nil, padding: Padding = .valid, rounding: Rounding = .floor) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.rounding = rounding
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
            if case let .explicit(p) = padding {
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
            if case let .explicit(p) = spec.padding { try require(p >= 0, "padding must not be negative") }
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
        case .relu, .globalAvgPool, .globalMaxPool, .flatten, .batchNorm:
            break
        }
    }
}
