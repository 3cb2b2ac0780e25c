/// The shape of one example's activations, (height, width, channels); flat features are 1×1×K.
public struct FeatureShape: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// The shape of a model's input image, or `NNError.badTensor` when a dimension is not positive.
    public init(input height: Int, width: Int, channels: Int) throws {
        guard height > 0, width > 0, channels > 0 else {
            throw NNError.badTensor(reason: "An input of \(height)×\(width)×\(channels) is empty: every dimension must be positive.")
        }
        self.init(height: height, width: width, channels: channels)
    }

    /// Values per example: H·W·C.
    public var count: Int { height * width * channels }

    public var isFlat: Bool { height == 1 && width == 1 }

    public var description: String { "\(height)×\(width)×\(channels)" }
}

/// One axis of a sliding window (convolution, pooling, blur) over an input of `input` pixels:
/// output `o` reads inputs `o·stride − padBefore + t·dilation` for taps `t` in `0..<taps`;
/// positions outside `0..<input` are padding.
public struct WindowAxis: Equatable, Sendable {
    public var input: Int
    public var output: Int
    public var taps: Int
    public var stride: Int
    public var dilation: Int
    public var padBefore: Int

    /// The window's extent in input pixels, d·(k − 1) + 1.
    public var extent: Int { dilation * (taps - 1) + 1 }

    /// Windows of two adjacent pixels, stride 2, no padding before: a 2×2 max pool's axis that
    /// a convolution's store can take (`ExecutionSchedule.pooledInto`).
    var isPairs: Bool { taps == 2 && stride == 2 && dilation == 1 && padBefore == 0 }

    /// Input pixels from the first window's start to the last window's end.
    var covered: Int { (output - 1) * stride + extent }

    /// Input rows (or columns) at the end that no window reads: floor division drops them.
    public var dropped: Int { max(0, input + padBefore - covered) }

    /// Padding past the input's end that some window reads (SAME padding, explicit padding, and
    /// the extra window that ceil rounding keeps).
    public var padAfter: Int { max(0, covered - input - padBefore) }

    /// The axis of a window with `taps`, `stride`, `dilation` and `padding` over `input` pixels
    /// along `axis` (which sides of an asymmetric padding apply); `output` may come out ≤ 0 when
    /// the input is smaller than the window.
    ///
    /// With padding b before and a after: floor: o = ⌊(n + b + a − e) / s⌋ + 1; ceil:
    /// o = ⌈(n + b + a − e) / s⌉ + 1, less one if the last window would start in the padding
    /// after the input (PyTorch's `ceil_mode` rule); same: o = ⌈n / s⌉ with the total padding
    /// max((o − 1)·s + e − n, 0) split before/after, the odd pixel after.
    init(input n: Int, taps: Int, stride s: Int, dilation: Int, padding: Padding, rounding: Rounding,
         axis: Padding.Axis = .rows) {
        let extent = dilation * (taps - 1) + 1
        var output: Int, before: Int
        if padding != .same {
            let (b, a) = padding.explicitSides(along: axis) ?? (0, 0)
            before = b
            let span = n + b + a - extent
            if span < 0 {
                output = 0
            } else if rounding == .floor {
                output = span / s + 1
            } else {
                output = (span + s - 1) / s + 1
                if (output - 1) * s >= n + b { output -= 1 }
            }
        } else {
            output = (n + s - 1) / s
            before = max((output - 1) * s + extent - n, 0) / 2
        }
        self.init(input: n, output: output, taps: taps, stride: s, dilation: dilation, padBefore: before)
    }

    init(input: Int, output: Int, taps: Int, stride: Int, dilation: Int, padBefore: Int) {
        self.input = input
        self.output = output
        self.taps = taps
        self.stride = stride
        self.dilation = dilation
        self.padBefore = padBefore
    }

    /// BlurPool's axis (Zhang 2019): reflect padding of ⌊(f − 1)/2⌋ before and ⌈(f − 1)/2⌉
    /// after, so o = ⌊(n − 1) / s⌋ + 1 = ⌈n / s⌉.
    static func blur(input: Int, filter: Int, stride: Int) -> WindowAxis {
        WindowAxis(input: input, output: (input - 1) / stride + 1, taps: filter, stride: stride,
                   dilation: 1, padBefore: (filter - 1) / 2)
    }
}
