/// Receptive-field arithmetic along one axis after a layer (Araujo, Norris & Sim, "Computing
/// Receptive Fields of Convolutional Neural Networks", Distill 2019), with j₀ = 1, r₀ = 1, u₀ = 0:
///
///     j_l = j_{l−1}·s_l                              jump: input pixels between adjacent outputs
///     r_l = r_{l−1} + (k_l − 1)·j_{l−1}              receptive field, k_l = d(k − 1) + 1
///     u_l = u_{l−1} + ((k_l − 1)/2 − p_l)·j_{l−1}    centre of output 0's field, in input pixels
///
/// Global pooling and flatten act as a window over the whole map (k = size, s = 1, p = 0).
public struct AxisMath: Equatable, Sendable {
    public var size: Int
    public var receptiveField: Int
    public var jump: Int
    public var center: Double
    /// Input rows/columns (of this layer's input) no window reads: lost to floor division.
    public var dropped: Int
    /// Padding past the end that windows read (SAME, explicit, or ceil rounding's extra window).
    public var paddedAfter: Int

    static func input(_ size: Int) -> AxisMath {
        AxisMath(size: size, receptiveField: 1, jump: 1, center: 0, dropped: 0, paddedAfter: 0)
    }

    func through(_ window: WindowAxis) -> AxisMath {
        AxisMath(size: window.output,
                 receptiveField: receptiveField + (window.extent - 1) * jump,
                 jump: jump * window.stride,
                 center: center + (Double(window.extent - 1) / 2 - Double(window.padBefore)) * Double(jump),
                 dropped: window.dropped, paddedAfter: window.padAfter)
    }
}

/// One layer's figures at an input size, per image.
public struct LayerMath: Equatable, Sendable {
    public var spec: LayerSpec
    public var output: FeatureShape
    public var rows: AxisMath
    public var columns: AxisMath
    public var parameters: Int
    /// Forward FLOPs per image, 2 per multiply-add: conv, dense, blurpool, average pooling and
    /// batch norm count as the linear maps they are, add, multiply, affine and bias as one
    /// multiply-add per output; max, activations, softmax, concat, dropout and flatten count 0.
    public var flops: Int
    /// Bytes of this layer's output per image (float32).
    public var activationBytes: Int
}

/// A model's figures at an input size: per layer and totals.
public struct ArchitectureMath: Equatable, Sendable {
    public var inputHeight: Int
    public var inputWidth: Int
    public var layers: [LayerMath]

    public var parameters: Int { layers.reduce(0) { $0 + $1.parameters } }
    public var flops: Int { layers.reduce(0) { $0 + $1.flops } }
    public var activationBytes: Int { layers.reduce(0) { $0 + $1.activationBytes } }

    /// Training FLOPs per image: forward, plus two backward multiplies (input and weight
    /// gradients) per conv/dense layer, less the first layer's input gradient (not computed).
    public var trainingFlops: Int {
        var total = flops, first = true
        for layer in layers {
            switch layer.spec {
            case .conv, .dense:
                total += first ? layer.flops : 2 * layer.flops
                first = false
            default:
                total += layer.flops
            }
        }
        return total
    }

    init(plans: [LayerPlan], parameterCounts: [Int]) {
        inputHeight = plans.first?.input.height ?? 0
        inputWidth = plans.first?.input.width ?? 0
        var rows = AxisMath.input(inputHeight), columns = AxisMath.input(inputWidth)
        layers = []
        for (plan, parameters) in zip(plans, parameterCounts) {
            let global = WindowAxis(input: rows.size, output: 1, taps: rows.size, stride: 1, dilation: 1, padBefore: 0)
            let globalColumns = WindowAxis(input: columns.size, output: 1, taps: columns.size, stride: 1, dilation: 1, padBefore: 0)
            switch plan.spec {
            case .globalAvgPool, .globalMaxPool, .flatten:
                rows = rows.through(global)
                columns = columns.through(globalColumns)
            default:
                if let r = plan.rows, let c = plan.columns {
                    rows = rows.through(r)
                    columns = columns.through(c)
                } else {
                    rows.dropped = 0; rows.paddedAfter = 0
                    columns.dropped = 0; columns.paddedAfter = 0
                }
            }
            let outputs = plan.output.count, outputPixels = plan.output.height * plan.output.width
            let macs: Int
            switch plan.spec {
            case let .conv(spec):
                macs = outputs * plan.rows!.taps * plan.columns!.taps * plan.input.channels / spec.groups
            case .dense:
                macs = plan.input.channels * plan.output.channels
            case .blurPool, .avgPool:
                macs = outputPixels * plan.input.channels * plan.rows!.taps * plan.columns!.taps
            case .globalAvgPool, .batchNorm:
                macs = plan.input.count
            case .add, .multiply, .affine, .bias:
                macs = outputs
            case .relu, .maxPool, .globalMaxPool, .flatten, .dropout, .activation, .concat, .softmax:
                macs = 0
            }
            layers.append(LayerMath(spec: plan.spec, output: plan.output, rows: rows, columns: columns,
                                    parameters: parameters, flops: 2 * macs, activationBytes: 4 * outputs))
        }
    }
}

extension ModelSpec {
    /// The architecture math of this spec at `height`×`width`×`channels` (parameters counted as
    /// the layers built at this size would have them; batch-norm running statistics excluded).
    public func architecture(height: Int, width: Int, channels: Int) throws -> ArchitectureMath {
        let plans = try plan(height: height, width: width, channels: channels)
        let entries = parameterEntries(plans)
        let counts = plans.indices.map { l in
            entries.filter { $0.name.hasPrefix("\(l + 1).") && $0.role.isTrainable }.reduce(0) { $0 + $1.count }
        }
        return ArchitectureMath(plans: plans, parameterCounts: counts)
    }
}

extension Network {
    /// The architecture math at `height`×`width`; throws the sentence errors of `plan`.
    public func architecture(height: Int, width: Int) throws -> ArchitectureMath {
        _ = try plan(height: height, width: width)
        return try spec.architecture(height: height, width: width, channels: inputChannels)
    }
}
