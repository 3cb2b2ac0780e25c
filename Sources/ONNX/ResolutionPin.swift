/// Something in an imported model that ties it to the input size it was exported at, found at
/// import and stated as a sentence for the report.
public struct ResolutionPin: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A feature map flattened into a dense layer (Flatten → Gemm/MatMul): the dense layer's
        /// input count is H·W·C of the training-size map.
        case flattenDense
        /// A Reshape to a constant element count: other sizes give another count.
        case constantReshape
        /// A pooling window as large as the training-size map (what `AdaptiveAvgPool2d(1)`
        /// becomes when exported with static shapes): larger inputs leave a map, not a vector.
        case trainingSizePool
        /// A constant (H, W, C) tensor added to a feature map (fixed position terms).
        case positionTerm
        /// A ceil-mode pooling window: at sizes its windows do not tile, the last one overhangs
        /// into padding and the map grows by one.
        case ceilPool
    }

    /// The engine node it concerns.
    public var node: String
    public var kind: Kind
    public var sentence: String
}
