/// One layer of a model placed at an input size: its input and output shapes and, for window
/// layers, the geometry of each axis.
public struct LayerPlan: Equatable, Sendable {
    public var spec: LayerSpec
    public var input: FeatureShape
    public var output: FeatureShape
    /// The window along the height (rows) and width (columns); nil for layers without one.
    public var rows: WindowAxis?
    public var columns: WindowAxis?
}

extension ModelSpec {
    /// Places every layer at an input of `height`×`width`×`channels` and infers its shapes.
    /// Throws `NNError.shapeMismatch` with a sentence when a map shrinks to nothing or dense
    /// gets an input it cannot take.
    public func plan(height: Int, width: Int, channels: Int) throws -> [LayerPlan] {
        try place(height: height, width: width, channels: channels, explainMinimum: true)
    }

    private func place(height: Int, width: Int, channels: Int, explainMinimum: Bool) throws -> [LayerPlan] {
        guard height > 0, width > 0, channels > 0 else {
            throw NNError.badTensor(reason: "An input of \(height)×\(width)×\(channels) is empty: every dimension must be positive.")
        }
        var shape = FeatureShape(height: height, width: width, channels: channels)
        var plans: [LayerPlan] = []
        for (index, layer) in layers.enumerated() {
            try layer.validate()
            var plan = LayerPlan(spec: layer, input: shape, output: shape)
            func window(taps: (Int, Int), stride: Int, dilation: Int, padding: Padding, rounding: Rounding, outputChannels: Int) throws {
                let rows = WindowAxis(input: shape.height, taps: taps.0, stride: stride, dilation: dilation, padding: padding, rounding: rounding)
                let columns = WindowAxis(input: shape.width, taps: taps.1, stride: stride, dilation: dilation, padding: padding, rounding: rounding)
                guard rows.output > 0, columns.output > 0 else {
                    let minimum = (explainMinimum ? smallestInput(channels: channels) : nil).map { " (the smallest input this model takes is \($0)×\($0))" } ?? ""
                    throw NNError.shapeMismatch(layer: layer.description, index: index, reason:
                        "it gets a \(shape) map at \(height)×\(width) input, smaller than its \(rows.extent)×\(columns.extent) window, so the map would shrink to nothing; use a larger input\(minimum) or fewer downsampling layers.")
                }
                plan.rows = rows
                plan.columns = columns
                plan.output = FeatureShape(height: rows.output, width: columns.output, channels: outputChannels)
            }
            switch layer {
            case let .conv(spec):
                try window(taps: (spec.kernelHeight, spec.kernelWidth), stride: spec.stride, dilation: spec.dilation,
                           padding: spec.padding, rounding: spec.rounding, outputChannels: spec.filters)
            case let .maxPool(spec), let .avgPool(spec):
                try window(taps: (spec.kernel, spec.kernel), stride: spec.stride, dilation: 1,
                           padding: spec.padding, rounding: spec.rounding, outputChannels: shape.channels)
            case let .blurPool(stride, filter):
                plan.rows = .blur(input: shape.height, filter: filter, stride: stride)
                plan.columns = .blur(input: shape.width, filter: filter, stride: stride)
                plan.output = FeatureShape(height: plan.rows!.output, width: plan.columns!.output, channels: shape.channels)
            case .globalAvgPool, .globalMaxPool:
                plan.output = FeatureShape(height: 1, width: 1, channels: shape.channels)
            case .flatten:
                plan.output = FeatureShape(height: 1, width: 1, channels: shape.count)
            case let .dense(units):
                guard shape.isFlat else {
                    throw NNError.shapeMismatch(layer: layer.description, index: index, reason:
                        "dense needs flat features but gets a \(shape) map at \(height)×\(width) input; put flatten or gap before it.")
                }
                plan.output = FeatureShape(height: 1, width: 1, channels: units)
            case .relu, .batchNorm, .dropout:
                break
            }
            plans.append(plan)
            shape = plan.output
        }
        return plans
    }

    /// The smallest square input (up to 4096) the model's windows accept.
    func smallestInput(channels: Int) -> Int? {
        (1...4096).first { size in (try? place(height: size, width: size, channels: channels, explainMinimum: false)) != nil }
    }
}
