import Kernels
import SeededRandom
/// A CNN built from a `GraphSpec` (or a list `ModelSpec`, its chain graph): parameters
/// (independent of the input size) plus buffers allocated per input size and reused, so the
/// same trained weights run at any resolution.
///
///     let net = try Network(spec: try ModelSpec(parsing: "conv 3x3 32, relu, maxpool 2, gap"),
///                           inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 1)
///     let loss = try net.trainStep(inputs: batch, labels: labels, optimizer: optimizer)
///     let logits = try net.predict(imagesAt64px)        // (N, classes)
///
/// Not thread-safe: one network is used from one thread at a time (its kernels use
/// `Parallel.threadCount` threads internally).
public final class Network {
    /// The nodes, the last one giving the logits (for a list model, the chain graph of its
    /// layers with the dense classifier appended when the list did not end in one).
    public let graph: GraphSpec
    /// Whether the graph is a chain (every node reads the one before it): a list model.
    public let isChain: Bool
    public let inputChannels: Int
    public let classes: Int
    /// The input size the network was built (and is trained) at; flatten + dense models only
    /// accept this size.
    public let trainingHeight: Int
    public let trainingWidth: Int

    let arena: ParameterArena
    /// The graph placed at the training size.
    let trainingPlan: ModelPlan
    /// nodeEntries[j]: the indices into `arena.entries` of node j's parameter tensors, in order.
    let nodeEntries: [Range<Int>]
    /// parameterOffsets[j]: where node j's first parameter starts in the arena (0 if none);
    /// biasOffsets[j]: its second tensor's distance from that start.
    let parameterOffsets: [Int]
    let biasOffsets: [Int]
    var dropoutGenerator: SplitMix64
    private var trainingWorkspace: Workspace?
    /// The most recently used evaluation teams (at most `evaluationTeamLimit`), one per input size.
    private var evaluationTeams: [EvaluationTeam] = []
    private static let evaluationTeamLimit = 2
    /// Floats of the largest activation of one evaluation chunk (1 MB): a chunk's activations
    /// then stay in the core's L2 cache from layer to layer.
    static let evaluationChunkFloats = 1 << 18

    /// The list model `spec` as its chain graph (nodes "1", "2", …). A spec that does not end in
    /// `dense` gets `dense classes` appended; one that ends in `dense U` with U ≠ classes is refused.
    public convenience init(spec: ModelSpec, inputChannels: Int, classes: Int, trainingHeight: Int, trainingWidth: Int,
                            seed: UInt64) throws {
        try self.init(graph: GraphSpec(chain: spec.classifier(classes: classes)), inputChannels: inputChannels, classes: classes,
                      trainingHeight: trainingHeight, trainingWidth: trainingWidth, seed: seed)
    }

    /// Builds the network of `graph` and initialises its parameters from `seed` (see
    /// `ParameterArena.initialize`): tensors in node order, so a chain graph gets the weights
    /// its list model always had. The last node must give `classes` flat outputs at the
    /// training size (e.g. end in `dense classes`).
    public init(graph: GraphSpec, inputChannels: Int, classes: Int, trainingHeight: Int, trainingWidth: Int, seed: UInt64) throws {
        try Network.checkClasses(classes)
        try graph.validate()
        self.graph = graph
        isChain = graph.nodes.enumerated().allSatisfy { j, node in
            node.inputs == [j == 0 ? GraphSpec.inputName : graph.nodes[j - 1].name]
        }
        self.inputChannels = inputChannels
        self.classes = classes
        self.trainingHeight = trainingHeight
        self.trainingWidth = trainingWidth
        trainingPlan = try Network.place(graph, height: trainingHeight, width: trainingWidth, channels: inputChannels)
        let output = trainingPlan.nodes.last!.output
        guard output == FeatureShape(height: 1, width: 1, channels: classes) else {
            throw NNError.invalidGraph(node: graph.nodes.last!.name, reason:
                "the model's last node gives a \(output) output at \(trainingHeight)×\(trainingWidth) but a classifier of \(classes) classes needs 1×1×\(classes); end the model in \"dense \(classes)\"")
        }
        let layout = ParameterLayout(trainingPlan)
        arena = ParameterArena(entries: layout.entries)
        nodeEntries = layout.nodeEntries
        parameterOffsets = layout.nodeEntries.map { $0.isEmpty ? 0 : layout.entries[$0.lowerBound].offset }
        biasOffsets = layout.nodeEntries.map { $0.count > 1 ? layout.entries[$0.lowerBound + 1].offset - layout.entries[$0.lowerBound].offset : 0 }
        arena.initialize(seed: seed)
        dropoutGenerator = SplitMix64(seed: seed ^ 0xD20F_0D20_F0D2_0F0D)
    }

    private static func checkClasses(_ classes: Int) throws {
        guard classes >= 2 else {
            throw NNError.invalidLayer(layer: "dense \(classes)", reason: "a classifier needs at least 2 classes, not \(classes)")
        }
    }

    /// `graph` placed at an input of height×width×channels (with `trainingInput`, checked against
    /// the parameters built there), or the plan's sentence why it cannot run.
    static func place(_ graph: GraphSpec, height: Int, width: Int, channels: Int, trainingInput: FeatureShape? = nil) throws -> ModelPlan {
        let plan = ModelPlan(graph: graph, input: try FeatureShape(input: height, width: width, channels: channels), trainingInput: trainingInput)
        guard let failure = plan.failure else { return plan }
        throw NNError.cannotRun(node: failure.name, sentence: failure.sentence)
    }

    /// The layers in node order. For a chain graph this is the list model (with its dense
    /// classifier); for any other graph it lists the layers without their connections.
    public var spec: ModelSpec { ModelSpec(layers: graph.nodes.map(\.layer)) }

    /// The parameter tensors (names, shapes, offsets into `parameterValues`).
    public var parameters: [ParameterEntry] { arena.entries }

    /// Every parameter value, in arena order (including alignment padding).
    public var parameterValues: [Float] {
        get { Array(UnsafeBufferPointer(start: arena.values, count: arena.count)) }
        set {
            precondition(newValue.count == arena.count, "parameterValues needs \(arena.count) values, got \(newValue.count)")
            arena.values.update(from: newValue, count: arena.count)
        }
    }

    /// The gradients of the last `trainStep` or `gradients(inputs:labels:)`, in arena order.
    public var parameterGradients: [Float] { Array(UnsafeBufferPointer(start: arena.gradients, count: arena.count)) }

    /// Whether node j has trained parameters (its backward pass computes their gradients).
    var hasParameters: [Bool] {
        nodeEntries.map { $0.contains { arena.entries[$0].role.isTrainable } }
    }

    /// The graph placed at `height`×`width` (`ModelPlan`, checked against the parameters built at
    /// the training size); throws the plan's failure (`NNError.cannotRun`) when a map vanishes or
    /// a dense layer gets a different number of inputs than it was built for.
    public func modelPlan(height: Int, width: Int) throws -> ModelPlan {
        try Network.place(graph, height: height, width: width, channels: inputChannels,
                          trainingInput: FeatureShape(height: trainingHeight, width: trainingWidth, channels: inputChannels))
    }

    /// The nodes placed at `height`×`width` as layers (each node's first input), in node order;
    /// throws the sentence errors of `modelPlan`.
    public func plan(height: Int, width: Int) throws -> [LayerPlan] {
        try modelPlan(height: height, width: width).nodes.map(\.layerPlan)
    }

    /// Drops every cached buffer (they are re-created on the next call).
    public func releaseBuffers() {
        trainingWorkspace = nil
        evaluationTeams = []
    }

    /// The training workspace for `batch` images of `height`×`width`, reused while it fits.
    func trainingWorkspace(batch: Int, height: Int, width: Int) throws -> Workspace {
        if let ws = trainingWorkspace, ws.capacity >= batch, ws.inputSize == (height, width) {
            return ws
        }
        trainingWorkspace = nil
        let ws = Workspace(plan: try modelPlan(height: height, width: width), hasParameters: hasParameters, capacity: batch, training: true)
        trainingWorkspace = ws
        return ws
    }

    /// How `predict` cuts a batch at `plan`: `images` per chunk, and whether the threads share
    /// each chunk (every layer split across them) instead of taking whole chunks each.
    ///
    /// Images per chunk: as many as keep the largest node output within `evaluationChunkFloats`
    /// (at least 1), so that activations stay in the core's cache from layer to layer — unless a
    /// layer has more parameters than that (a convolution's or dense layer's weights) and would
    /// then multiply them by fewer than `minimumWeightRows` output pixels per chunk: each chunk
    /// streams those weights from memory once. Then the chunk grows to give that layer
    /// `minimumWeightRows` rows (the largest output at most `evaluationChunkLimitFloats`), and the
    /// threads share each chunk so that the weights are streamed once for all of them. ResNet-18
    /// at 224 px: one image per chunk gave its 7×7×512 layers 49 rows for 9.4 MB of weights
    /// each; chunks of 10 images took `bench onnx` at one thread from 34.1–35.7 to 40.2–41.7
    /// img/s (three interleaved pairs).
    static func evaluationChunking(_ plan: ModelPlan) -> (images: Int, layerParallel: Bool) {
        let largest = max(1, plan.nodes.map(\.output.count).max() ?? 1)
        let byActivations = imagesByActivations(plan.nodes[...])
        let byWeights = plan.nodes.filter { $0.parameters > evaluationChunkFloats }.map { node in
            (minimumWeightRows + node.output.height * node.output.width - 1) / max(1, node.output.height * node.output.width)
        }.max() ?? 1
        guard byWeights > byActivations else { return (byActivations, false) }
        return (max(byActivations, min(byWeights, evaluationChunkLimitFloats / largest)), true)
    }

    /// Images per chunk that keep the largest output of `nodes` within `evaluationChunkFloats`
    /// (at least 1).
    static func imagesByActivations(_ nodes: ArraySlice<NodePlan>) -> Int {
        max(1, evaluationChunkFloats / max(1, nodes.map(\.output.count).max() ?? 1))
    }

    /// Where `predict` splits a model whose chunks grew for large weights (`evaluationChunking`
    /// gave `tailImages`): nodes 0…cut run on chunks of `headImages` images, sized by their own
    /// largest output as an ungrown chunk is, and y_cut of each is gathered into the grown chunk
    /// the nodes after the cut run on. A cut is a node whose output is the only tensor the nodes
    /// after it read (and no max pool after it is written by a convolution's store before it, no
    /// pointwise convolution before it is computed in the bands of a depthwise one after it);
    /// the last one before the first layer with more weights than `evaluationChunkFloats`.
    /// MobileNetV2 at 224 px: its 112×112×96 expansion in chunks of 6 images (grown for the
    /// 1280×1000 classifier) streamed 29 MB per layer from memory; nil when no cut gives a
    /// smaller head chunk.
    static func evaluationSplit(_ plan: ModelPlan, schedule: ExecutionSchedule, tailImages: Int) -> (cut: Int, headImages: Int)? {
        let nodes = plan.nodes
        guard let heavy = nodes.firstIndex(where: { $0.parameters > evaluationChunkFloats }), heavy > 0 else { return nil }
        // earliestRead[j]: the earliest tensor node j or a later node reads (−1: the image).
        var earliestRead = [Int](repeating: nodes.count, count: nodes.count + 1)
        for j in stride(from: nodes.count - 1, through: 0, by: -1) {
            earliestRead[j] = min(earliestRead[j + 1], nodes[j].inputs.min() ?? j)
        }
        for cut in stride(from: heavy - 1, through: 0, by: -1) where earliestRead[cut + 1] >= cut {
            guard schedule.pooledInto.prefix(cut + 1).allSatisfy({ ($0 ?? cut) <= cut }),
                  schedule.bandedFrom.suffix(from: cut + 1).allSatisfy({ ($0 ?? cut + 1) > cut }) else { continue }
            let headImages = imagesByActivations(nodes[0...cut])
            return headImages < tailImages ? (cut, headImages) : nil
        }
        return nil
    }

    /// Output pixels per chunk a layer with more weights than `evaluationChunkFloats` gets
    /// (`evaluationChunking`).
    static let minimumWeightRows = 512
    /// The most floats of the largest output a chunk grown for weights may take (32 MB).
    static let evaluationChunkLimitFloats = 1 << 23

    /// The workspaces `predict` runs inputs of `height`×`width` in (`evaluationChunking`), cached
    /// per size: one per thread, or one whose layers all threads share.
    func evaluationTeam(height: Int, width: Int) throws -> EvaluationTeam {
        let threads = max(1, Parallel.threadCount)
        if let index = evaluationTeams.firstIndex(where: { $0.workspaces[0].inputSize == (height, width) && $0.serves(threads: threads) }) {
            let team = evaluationTeams.remove(at: index)
            evaluationTeams.append(team)
            return team
        }
        let plan = try modelPlan(height: height, width: width)
        let chunking = Network.evaluationChunking(plan), hasParameters = hasParameters
        let workspaces = (0..<(chunking.layerParallel ? 1 : threads)).map { _ in
            Workspace(plan: plan, hasParameters: hasParameters, capacity: chunking.images, training: false)
        }
        let split = chunking.layerParallel
            ? Network.evaluationSplit(plan, schedule: workspaces[0].schedule, tailImages: chunking.images) : nil
        let team = EvaluationTeam(workspaces: workspaces, layerParallel: chunking.layerParallel, split: split.map { split in
            EvaluationTeam.Split(cut: split.cut, head: (0..<threads).map { _ in
                Workspace(plan: plan, hasParameters: hasParameters, capacity: split.headImages, training: false)
            })
        })
        evaluationTeams.removeAll { $0.workspaces[0].inputSize == (height, width) }
        if evaluationTeams.count >= Network.evaluationTeamLimit { evaluationTeams.removeFirst() }
        evaluationTeams.append(team)
        return team
    }

    /// Checks `inputs` is (N, H, W, inputChannels) with N ≥ 1.
    func checkInputs(_ inputs: Tensor) throws -> (batch: Int, height: Int, width: Int) {
        guard let (n, h, w, c) = inputs.nhwc, n > 0, h > 0, w > 0 else {
            throw NNError.badTensor(reason: "The network takes images as a (N, H, W, C) tensor with N, H, W ≥ 1, not \(Tensor.text(inputs.shape)).")
        }
        guard inputs.values.count == n * h * w * c else {
            throw NNError.badTensor(reason: "A tensor of shape \(Tensor.text(inputs.shape)) needs \(n * h * w * c) values but holds \(inputs.values.count).")
        }
        guard c == inputChannels else {
            throw NNError.badTensor(reason: "The network was built for \(inputChannels)-channel images but got \(c) channels; convert the images (e.g. grayscale to RGB) first.")
        }
        return (n, h, w)
    }
}
