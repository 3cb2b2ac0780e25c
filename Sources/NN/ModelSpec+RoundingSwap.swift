/// A model with the other rounding rule (floor ↔ ceil) in exactly the downsampling layers where
/// the two rules give different output sizes at one input size, and the layers it changed.
public struct RoundingSwap: Equatable, Sendable {
    public var spec: ModelSpec
    /// 0-based indices of the layers whose rule was swapped, in order; empty when every
    /// downsampling layer tiles its input at this size (the swap is then the identity).
    public var swappedLayers: [Int]
}

extension ModelSpec {
    /// Swaps floor ↔ ceil in each pooling layer and strided convolution that drops rows or
    /// columns under floor (or pads them under ceil) at `height`×`width`, as `roundingWhatIf`
    /// reports them. Layers are visited in order and each sees the input size the layers
    /// before it give *after* their swaps (a swap upstream can make a later layer's input odd or
    /// even). A layer where both rules give the same output computes the same windows either
    /// way and keeps its rule. Layers with SAME padding and BlurPool have one fixed rule and are
    /// never swapped. Parameter shapes do not depend on the rule (for models without flatten),
    /// so the same weights load into the swapped model.
    ///
    /// Throws NN's sentence when a map vanishes even with the swaps made so far.
    public func swappingRounding(height: Int, width: Int, channels: Int) throws -> RoundingSwap {
        var layers = self.layers
        var swapped: [Int] = []
        // The running input of layer l: the output of layers 0..<l as swapped so far, each
        // placed once (`LayerSpec.place`), so the walk is linear in the depth.
        var input = try FeatureShape(input: height, width: width, channels: channels)
        try GraphSpec(chain: self).validate()
        for l in layers.indices {
            if let whatIf = layers[l].roundingWhatIf(height: input.height, width: input.width), whatIf.outcomes.count == 2 {
                let (floor, ceil) = (whatIf.outcomes[0], whatIf.outcomes[1])
                if floor.rows.output != ceil.rows.output || floor.columns.output != ceil.columns.output {
                    layers[l] = layers[l].withRounding(whatIf.used == .floor ? .ceil : .floor)
                    swapped.append(l)
                }
            }
            guard l < layers.count - 1 else { break }
            guard case let .success(placement) = layers[l].place([input], height: height, width: width) else {
                // The plan of the layers so far throws the sentence that names this layer.
                _ = try ModelSpec(layers: Array(layers[...l])).plan(height: height, width: width, channels: channels)
                preconditionFailure("the model plan fails where its layer's placement does")
            }
            input = placement.output
        }
        return RoundingSwap(spec: ModelSpec(layers: layers), swappedLayers: swapped)
    }
}
