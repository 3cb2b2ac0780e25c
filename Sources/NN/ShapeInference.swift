/// One layer of a list model placed at an input size, as the list engine's kernels read it: a
/// view of the model plan's node (`NodePlan.layerPlan`; `ModelPlan` decides every shape).
public struct LayerPlan: Equatable, Sendable {
    public var spec: LayerSpec
    public var input: FeatureShape
    public var output: FeatureShape
    /// The window along the height (rows) and width (columns); nil for layers without one.
    public var rows: WindowAxis?
    public var columns: WindowAxis?
}

extension ModelSpec {
    /// The model plan of this list (its chain graph, checked by `GraphSpec.validate`) at
    /// `height`×`width`×`channels`; with `trainingInput`, checked against the parameters built
    /// at that size.
    public func modelPlan(height: Int, width: Int, channels: Int, trainingInput: FeatureShape? = nil) throws -> ModelPlan {
        let input = try FeatureShape(input: height, width: width, channels: channels)
        let graph = GraphSpec(chain: self)
        try graph.validate()
        return ModelPlan(graph: graph, input: input, trainingInput: trainingInput)
    }

    /// Every layer placed at `height`×`width`×`channels` (`ModelPlan`); throws the plan's failure
    /// (`NNError.cannotRun`) when a map shrinks to nothing or a layer gets an input it cannot take.
    public func plan(height: Int, width: Int, channels: Int) throws -> [LayerPlan] {
        try modelPlan(height: height, width: width, channels: channels).layerPlans()
    }
}

extension ModelPlan {
    /// The nodes as list-engine layer plans; throws `NNError.cannotRun` when the model cannot run.
    public func layerPlans() throws -> [LayerPlan] {
        if let failure { throw NNError.cannotRun(node: failure.name, sentence: failure.sentence) }
        return nodes.map(\.layerPlan)
    }
}
