/// Where a layer's output comes from at one input size: its shape and, for window layers, the
/// geometry of each axis. Decided here once for every layer kind; the list planner
/// (`ModelSpec.plan`) and the graph planner (`GraphSpec.plan`) both call `place`.
public struct Placement: Equatable, Sendable {
    public var output: FeatureShape
    /// The window along the height (rows) and width (columns); nil for layers without one.
    public var rows: WindowAxis?
    public var columns: WindowAxis?
}

/// Why a layer cannot run on the inputs it gets, as the end of a sentence that starts with the
/// layer's name ("it gets a 3×3×64 map at 20×20 input, smaller than …").
public struct PlacementFailure: Error, Equatable, Sendable {
    public var reason: String
    /// The map is smaller than the layer's window: a larger input would help.
    public var mapTooSmall: Bool
}

extension LayerSpec {
    /// The layer placed on `inputs` (one shape per input, `arity` of them), the model being fed
    /// `height`×`width` images (named in failure sentences).
    public func place(_ inputs: [FeatureShape], height: Int, width: Int) -> Result<Placement, PlacementFailure> {
        func fail(_ reason: String, mapTooSmall: Bool = false) -> Result<Placement, PlacementFailure> {
            .failure(PlacementFailure(reason: reason, mapTooSmall: mapTooSmall))
        }
        guard arity.contains(inputs.count), let shape = inputs.first else {
            return fail("it takes \(arityDescription) but is given \(inputs.count)")
        }
        func window(taps: (Int, Int), stride: Int, dilation: Int, padding: Padding, rounding: Rounding,
                    outputChannels: Int) -> Result<Placement, PlacementFailure> {
            let rows = WindowAxis(input: shape.height, taps: taps.0, stride: stride, dilation: dilation, padding: padding,
                                  rounding: rounding, axis: .rows)
            let columns = WindowAxis(input: shape.width, taps: taps.1, stride: stride, dilation: dilation, padding: padding,
                                     rounding: rounding, axis: .columns)
            guard rows.output > 0, columns.output > 0 else {
                return fail("it gets a \(shape) map at \(height)×\(width) input, smaller than its \(rows.extent)×\(columns.extent) window, so the map would shrink to nothing", mapTooSmall: true)
            }
            return .success(Placement(output: FeatureShape(height: rows.output, width: columns.output, channels: outputChannels),
                                      rows: rows, columns: columns))
        }
        let unchanged = Result<Placement, PlacementFailure>.success(Placement(output: shape))
        switch self {
        case let .conv(spec):
            guard shape.channels % spec.groups == 0 else {
                return fail("its \(spec.groups) groups do not divide the \(shape.channels) input channels; use a group count that divides both the input channels and the filters")
            }
            return window(taps: (spec.kernelHeight, spec.kernelWidth), stride: spec.stride, dilation: spec.dilation,
                          padding: spec.padding, rounding: spec.rounding, outputChannels: spec.filters)
        case let .maxPool(spec), let .avgPool(spec):
            return window(taps: (spec.kernel, spec.kernel), stride: spec.stride, dilation: 1,
                          padding: spec.padding, rounding: spec.rounding, outputChannels: shape.channels)
        case let .blurPool(stride, filter):
            let rows = WindowAxis.blur(input: shape.height, filter: filter, stride: stride)
            let columns = WindowAxis.blur(input: shape.width, filter: filter, stride: stride)
            return .success(Placement(output: FeatureShape(height: rows.output, width: columns.output, channels: shape.channels),
                                      rows: rows, columns: columns))
        case .globalAvgPool, .globalMaxPool:
            return .success(Placement(output: FeatureShape(height: 1, width: 1, channels: shape.channels)))
        case .flatten:
            return .success(Placement(output: FeatureShape(height: 1, width: 1, channels: shape.count)))
        case let .dense(units):
            guard shape.isFlat else {
                return fail("dense needs flat features but gets a \(shape) map at \(height)×\(width) input; put flatten or gap before it")
            }
            return .success(Placement(output: FeatureShape(height: 1, width: 1, channels: units)))
        case let .bias(h, w):
            guard (h == 1 && w == 1) || (shape.height == h && shape.width == w) else {
                return fail("its fixed \(h)×\(w) term only fits a \(h)×\(w) map, but it gets a \(shape) map at \(height)×\(width) input: a positional term ties the model to the input size it was made for")
            }
            return unchanged
        case .add, .multiply:
            for other in inputs.dropFirst() {
                let broadcast = other.isFlat && other.channels == shape.channels
                guard other == shape || broadcast else {
                    return fail("its inputs have shapes \(inputs.map(\.description).joined(separator: " and ")) at \(height)×\(width) input; they must match, or one must be 1×1×\(shape.channels) to be broadcast")
                }
            }
            return unchanged
        case .concat:
            guard inputs.allSatisfy({ $0.height == shape.height && $0.width == shape.width }) else {
                return fail("its inputs have sizes \(inputs.map(\.description).joined(separator: " and ")) at \(height)×\(width) input; concatenated maps must have the same height and width")
            }
            return .success(Placement(output: FeatureShape(height: shape.height, width: shape.width,
                                                           channels: inputs.reduce(0) { $0 + $1.channels })))
        case .relu, .batchNorm, .dropout, .activation, .softmax, .affine:
            return unchanged
        }
    }
}
