/// A rule that sizes a downsampling layer's output along one axis of n inputs, window extent e,
/// stride s and padding p (see `WindowAxis`).
public enum SizeRule: String, Codable, Sendable {
    /// o = ⌊(n + 2p − e) / s⌋ + 1: only windows that fit; rows past the last one are dropped.
    case floor
    /// o = ⌈(n + 2p − e) / s⌉ + 1: one more window overhanging into padding (PyTorch's ceil_mode).
    case ceil
    /// TensorFlow's SAME padding, o = ⌈n / s⌉; the model's rounding does not apply.
    case same
    /// BlurPool's fixed o = ⌈n / s⌉ with reflect padding; the model's rounding does not apply.
    case blur
}

/// What one rule makes of a layer at one input size: the window along the rows and the columns
/// (`output`, `dropped` and `padAfter` say what it keeps, drops and pads).
public struct SizeRuleOutcome: Equatable, Sendable {
    public var rule: SizeRule
    public var rows: WindowAxis
    public var columns: WindowAxis
}

/// The rules a downsampling layer could use at one input size, side by side, and the one it uses:
/// at 15 px a 2×2/2 pool gives 7 under floor (dropping row and column 15) and 8 under ceil
/// (the 8th window reads one padded row and column).
public struct RoundingWhatIf: Equatable, Sendable {
    /// The rule the layer uses.
    public var used: SizeRule
    /// floor then ceil for pooling and strided convolutions with valid or explicit padding (the
    /// model's rounding picks one of them); the single fixed rule for SAME padding and BlurPool.
    public var outcomes: [SizeRuleOutcome]
}

extension LayerSpec {
    /// What each rule would make of this layer fed a `height`×`width` map; nil for layers that
    /// do not downsample (stride 1, or no window). Outputs may be ≤ 0 where the map is smaller
    /// than the window.
    public func roundingWhatIf(height: Int, width: Int) -> RoundingWhatIf? {
        func window(taps: (Int, Int), stride: Int, dilation: Int, padding: Padding, rounding: Rounding) -> RoundingWhatIf? {
            guard stride > 1 else { return nil }
            func outcome(_ rule: SizeRule, _ rounding: Rounding) -> SizeRuleOutcome {
                SizeRuleOutcome(rule: rule,
                                rows: WindowAxis(input: height, taps: taps.0, stride: stride, dilation: dilation, padding: padding, rounding: rounding),
                                columns: WindowAxis(input: width, taps: taps.1, stride: stride, dilation: dilation, padding: padding, rounding: rounding, axis: .columns))
            }
            if padding == .same { return RoundingWhatIf(used: .same, outcomes: [outcome(.same, rounding)]) }
            return RoundingWhatIf(used: rounding == .floor ? .floor : .ceil, outcomes: [outcome(.floor, .floor), outcome(.ceil, .ceil)])
        }
        switch self {
        case let .conv(spec):
            return window(taps: (spec.kernelHeight, spec.kernelWidth), stride: spec.stride, dilation: spec.dilation,
                          padding: spec.padding, rounding: spec.rounding)
        case let .maxPool(spec), let .avgPool(spec):
            return window(taps: (spec.kernel, spec.kernel), stride: spec.stride, dilation: 1, padding: spec.padding, rounding: spec.rounding)
        case let .blurPool(stride, filter):
            guard stride > 1 else { return nil }
            return RoundingWhatIf(used: .blur, outcomes: [SizeRuleOutcome(rule: .blur, rows: .blur(input: height, filter: filter, stride: stride),
                                                                          columns: .blur(input: width, filter: filter, stride: stride))])
        case .relu, .globalAvgPool, .globalMaxPool, .flatten, .dense, .batchNorm, .dropout, .activation, .add, .multiply,
             .concat, .softmax, .affine, .bias:
            return nil
        }
    }
}

extension RoundingWhatIf {
    /// Whether floor and ceil give this node different outputs (on either axis): only then does
    /// swapping its rule change anything. Always false for a fixed rule (SAME, BlurPool).
    public var rulesDiffer: Bool {
        guard outcomes.count == 2 else { return false }
        return outcomes[0].rows.output != outcomes[1].rows.output || outcomes[0].columns.output != outcomes[1].columns.output
    }

    /// Whether the rule in use loses something the other rule would not: floor drops input rows
    /// or columns along an axis where ceil keeps one more window (which reads them), or ceil adds a
    /// window that floor does not have. A floor node that reads every row (a padded 3×3 stride-2
    /// convolution at an even size: ceil would only add a window of padding) loses nothing, nor
    /// does one whose dropped row no rule can read (a 1×1 stride-2 projection at an even size:
    /// ceil's extra window would start past the input, so it has the same output).
    public var usedRuleLoses: Bool {
        guard rulesDiffer else { return false }
        switch used {
        case .floor: return lostRows > 0 || lostColumns > 0
        case .ceil: return true
        case .same, .blur: return false
        }
    }

    /// The input rows a floor rule leaves unread on an axis where ceil keeps one more window (which
    /// reads them); 0 under any other rule, and where ceil gives the same size (a 1×1 stride-2
    /// window at an even size leaves the last row unread under either rule).
    public var lostRows: Int {
        guard used == .floor, outcomes.count == 2, outcomes[0].rows.output != outcomes[1].rows.output else { return 0 }
        return outcomes[0].rows.dropped
    }

    /// `lostRows` for columns.
    public var lostColumns: Int {
        guard used == .floor, outcomes.count == 2, outcomes[0].columns.output != outcomes[1].columns.output else { return 0 }
        return outcomes[0].columns.dropped
    }
}
