import NN

/// An ONNX classifier imported into the engine's terms: a `GraphSpec` whose node parameters are
/// already in the engine's layout, plus what the model says about its input.
///
///     let model = try ImportedModel(contentsOf: "resnet18.onnx")
///     let plan = ModelPlan(graph: model.graph, input: model.input.shape(height: 160, width: 160))
public struct ImportedModel: Sendable {
    /// How the model's input tensor is laid out (ONNX models are usually NCHW; tf2onnx exports
    /// NHWC). `flat` is an (N, K) input, as in ONNX's own Gemm test cases.
    public enum Layout: String, Sendable, Codable, CaseIterable {
        case nchw, nhwc, flat
    }

    /// The image input: its name, layout, channels and, when the file fixes them, height and width.
    public struct Input: Equatable, Sendable {
        public var name: String
        public var layout: Layout
        public var channels: Int
        /// The static height and width, nil when the model takes any size.
        public var height: Int?
        public var width: Int?

        /// The engine's input shape (H, W, C) at an input of `height`×`width`.
        public func shape(height: Int, width: Int) -> FeatureShape {
            layout == .flat ? FeatureShape(height: 1, width: 1, channels: channels)
                : FeatureShape(height: height, width: width, channels: channels)
        }
    }

    /// The graph, in engine layers; its last node is the model's output (logits or probabilities).
    public var graph: GraphSpec
    /// Each node's parameters in the engine's layout, by node name and role: convolution weight
    /// (kh, kw, C/groups, F) and bias (F); dense weight (K, U) and bias (U); batch norm scale,
    /// shift, running mean and running variance (C each, variance with ε folded to the engine's
    /// 1e-5); affine scale γ and shift β (C each); a positional bias (H, W, C) as `.bias`.
    public var parameters: [String: [ParameterEntry.Role: [Float]]]
    public var input: Input
    /// The size of the model's output (classes).
    public var outputs: Int
    /// The input size the import traced shapes at: the static size, else the one asked for.
    public var referenceHeight: Int
    public var referenceWidth: Int
    /// What ties the model to its training size, one sentence each.
    public var pins: [ResolutionPin]
    /// How ONNX lays out the output (`flat` for class scores; maps only with `allowsMapOutput`).
    var outputLayout: Layout
    /// The standard-domain opset the file declares.
    public var opset: Int
    /// The file's producer (e.g. "pytorch 2.15.0"), as it says.
    public var producer: String
}
