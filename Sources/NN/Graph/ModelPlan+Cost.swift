/// What a layer costs: its parameter tensors and its forward FLOPs, decided here for every
/// layer kind (the parameter arena and the plan's counts both read `parameterShapes`).
extension LayerSpec {
    /// The layer's parameter tensors fed `input` (H, W, C), in arena order, with the name suffix
    /// and role of each: convolution weights (kh, kw, C/groups, F) and bias (F); dense weights
    /// (K, U) and bias (U), K = C of the flat input; batch norm's scale, shift, running mean and
    /// running variance (C each); affine γ, β (C each); bias B (h, w, C).
    public func parameterShapes(input: FeatureShape) -> [(suffix: String, shape: [Int], role: ParameterEntry.Role)] {
        switch self {
        case let .conv(spec):
            return [("weight", [spec.kernelHeight, spec.kernelWidth, input.channels / spec.groups, spec.filters], .weight),
                    ("bias", [spec.filters], .bias)]
        case let .dense(units):
            return [("weight", [input.channels, units], .weight), ("bias", [units], .bias)]
        case .batchNorm:
            return [("scale", [input.channels], .scale), ("shift", [input.channels], .shift),
                    ("runningMean", [input.channels], .runningMean), ("runningVariance", [input.channels], .runningVariance)]
        case .affine:
            return [("scale", [input.channels], .scale), ("shift", [input.channels], .shift)]
        case let .bias(height, width):
            return [("bias", [height, width, input.channels], .bias)]
        case .relu, .maxPool, .avgPool, .globalAvgPool, .globalMaxPool, .blurPool, .flatten, .dropout, .activation,
             .add, .multiply, .concat, .softmax:
            return []
        }
    }

    /// Trainable parameters fed `input` (batch norm's running statistics are not trained).
    func parameterCount(input: FeatureShape) -> Int {
        parameterShapes(input: input).filter { $0.role.isTrainable }.reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Forward FLOPs per image, 2 per multiply-add: conv, dense, blurpool, average pooling and
    /// batch norm count as the linear maps they are (a grouped conv reads C/groups channels per
    /// filter), global average pooling one add per input value, add/multiply one per extra input
    /// and output, affine and bias one per output; max, activations, softmax, concat, dropout and
    /// flatten count 0.
    func forwardFLOPs(inputs: [FeatureShape], placement: Placement) -> Int {
        let input = inputs[0], output = placement.output
        let outputPixels = output.height * output.width
        let taps = (placement.rows?.taps ?? 1) * (placement.columns?.taps ?? 1)
        let macs: Int
        switch self {
        case let .conv(spec): macs = output.count * taps * input.channels / spec.groups
        case .dense: macs = input.channels * output.channels
        case .blurPool, .avgPool: macs = outputPixels * input.channels * taps
        case .globalAvgPool, .batchNorm: macs = input.count
        case .add, .multiply: macs = output.count * (inputs.count - 1)
        case .affine, .bias: macs = output.count
        case .relu, .maxPool, .globalMaxPool, .flatten, .dropout, .activation, .concat, .softmax: macs = 0
        }
        return 2 * macs
    }
}
