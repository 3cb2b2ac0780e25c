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
    /// Places every layer at an input of `height`×`width`×`channels` and infers its shapes
    /// (`LayerSpec.place`). Throws `NNError.shapeMismatch` with a sentence when a map shrinks to
    /// nothing or a layer gets an input it cannot take.
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
            switch layer.place([shape], height: height, width: width) {
            case let .success(placement):
                plans.append(LayerPlan(spec: layer, input: shape, output: placement.output, rows: placement.rows, columns: placement.columns))
                shape = placement.output
            case let .failure(failure):
                var reason = failure.reason
                if failure.mapTooSmall {
                    let minimum = (explainMinimum ? smallestInput(channels: channels) : nil).map { " (the smallest input this model takes is \($0)×\($0))" } ?? ""
                    reason += "; use a larger input\(minimum) or fewer downsampling layers"
                }
                throw NNError.shapeMismatch(layer: layer.description, index: index, reason: reason + ".")
            }
        }
        return plans
    }

    /// The smallest square input (up to 4096) the model's windows accept.
    func smallestInput(channels: Int) -> Int? {
        (1...4096).first { size in (try? place(height: size, width: size, channels: channels, explainMinimum: false)) != nil }
    }
}
