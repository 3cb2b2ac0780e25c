import Kernels
import SeededRandom
/// A CNN built from a `ModelSpec`: parameters (independent of the input size) plus buffers
/// allocated per input size and reused, so the same trained weights run at any resolution.
///
///     let net = try Network(spec: try ModelSpec(parsing: "conv 3x3 32, relu, maxpool 2, gap"),
///                           inputChannels: 3, classes: 10, trainingHeight: 32, trainingWidth: 32, seed: 1)
///     let loss = try net.trainStep(inputs: batch, labels: labels, optimizer: optimizer)
///     let logits = try net.predict(imagesAt64px)        // (N, classes)
///
/// Not thread-safe: one network is used from one thread at a time (its kernels use
/// `Parallel.threadCount` threads internally).
public final class Network {
    /// The layers, ending in the dense classifier (appended when the spec did not end in one).
    public let spec: ModelSpec
    public let inputChannels: Int
    public let classes: Int
    /// The input size the network was built (and is trained) at; flatten + dense models only
    /// accept this size.
    public let trainingHeight: Int
    public let trainingWidth: Int

    let arena: ParameterArena
    /// The layers placed at the training size.
    let trainingPlans: [LayerPlan]
    /// parameterOffsets[l]: where layer l's first parameter starts in the arena (0 if none);
    /// biasOffsets[l]: its bias's distance from that start.
    let parameterOffsets: [Int]
    let biasOffsets: [Int]
    var dropoutGenerator: SplitMix64
    private var trainingWorkspace: Workspace?
    /// The most recently used evaluation teams (at most `evaluationTeamLimit`): per input size,
    /// one workspace per thread, each for `evaluationChunk` images.
    private var evaluationTeams: [[Workspace]] = []
    private static let evaluationTeamLimit = 2
    /// Floats of the largest activation of one evaluation chunk (1 MB): a chunk's activations
    /// then stay in the core's L2 cache from layer to layer.
    static let evaluationChunkFloats = 1 << 18

    /// Builds the network and initialises its parameters from `seed` (see
    /// `ParameterArena.initialize`). A spec that does not end in `dense` gets `dense classes`
    /// appended; one that ends in `dense U` with U ≠ classes is refused.
    public init(spec: ModelSpec, inputChannels: Int, classes: Int, trainingHeight: Int, trainingWidth: Int, seed: UInt64) throws {
        guard classes >= 2 else {
            throw NNError.invalidLayer(layer: "dense \(classes)", reason: "a classifier needs at least 2 classes, not \(classes)")
        }
        var layers = spec.layers
        if let unsupported = layers.first(where: { !Network.listEngineRuns($0) }) {
            throw NNError.invalidLayer(layer: unsupported.description, reason:
                "this layer needs the graph engine, which is not in this build yet; use conv, relu, pooling, bn, dropout, flatten and dense layers")
        }
        if case let .dense(units)? = layers.last {
            guard units == classes else {
                throw NNError.invalidLayer(layer: "dense \(units)", reason:
                    "the last layer has \(units) outputs but there are \(classes) classes; write \"dense \(classes)\" or leave the last dense layer out to have it added")
            }
        } else {
            layers.append(.dense(units: classes))
        }
        self.spec = ModelSpec(layers: layers)
        self.inputChannels = inputChannels
        self.classes = classes
        self.trainingHeight = trainingHeight
        self.trainingWidth = trainingWidth
        trainingPlans = try self.spec.plan(height: trainingHeight, width: trainingWidth, channels: inputChannels)
        arena = ParameterArena(entries: self.spec.parameterEntries(trainingPlans))
        var offsets = [Int](repeating: 0, count: layers.count), biases = offsets
        for (l, plan) in trainingPlans.enumerated() {
            let prefix = "\(l + 1).\(plan.spec)."
            let own = arena.entries.filter { $0.name.hasPrefix(prefix) }
            if let first = own.first { offsets[l] = first.offset }
            if own.count > 1 { biases[l] = own[1].offset - own[0].offset }
        }
        parameterOffsets = offsets
        biasOffsets = biases
        arena.initialize(seed: seed)
        dropoutGenerator = SplitMix64(seed: seed ^ 0xD20F_0D20_F0D2_0F0D)
    }

    /// Whether the list engine's passes implement `layer` (grouped convolutions, explicit
    /// per-side padding, padding-inclusive averages and the graph-only operations do not).
    static func listEngineRuns(_ layer: LayerSpec) -> Bool {
        switch layer {
        case let .conv(spec): return spec.groups == 1 && !isAsymmetric(spec.padding)
        case let .maxPool(spec), let .avgPool(spec): return !spec.countIncludePad && !isAsymmetric(spec.padding)
        case .relu, .globalAvgPool, .globalMaxPool, .blurPool, .flatten, .dense, .batchNorm, .dropout: return true
        case .activation, .add, .multiply, .concat, .softmax, .affine, .bias: return false
        }
    }

    private static func isAsymmetric(_ padding: Padding) -> Bool {
        if case .asymmetric = padding { return true }
        return false
    }

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

    /// The layers placed at `height`×`width`, checked against the built parameters: a sentence
    /// error when a map vanishes or a dense layer gets a different number of inputs.
    public func plan(height: Int, width: Int) throws -> [LayerPlan] {
        let plans = try spec.plan(height: height, width: width, channels: inputChannels)
        for (l, plan) in plans.enumerated() {
            guard case .dense = plan.spec, plan.input.channels != trainingPlans[l].input.channels else { continue }
            let expected = trainingPlans[l].input.channels, got = plan.input.channels
            if let flatten = plans[..<l].lastIndex(where: { $0.spec == .flatten }) {
                throw NNError.shapeMismatch(layer: plan.spec.description, index: l, reason:
                    "dense expects \(expected) inputs (\(trainingPlans[flatten].input) at \(trainingHeight)×\(trainingWidth)) but got \(got) (\(plans[flatten].input) at \(height)×\(width)): flatten ties the model to its training resolution; global average pooling does not.")
            }
            throw NNError.shapeMismatch(layer: plan.spec.description, index: l, reason:
                "dense expects \(expected) inputs but got \(got) at \(height)×\(width).")
        }
        return plans
    }

    /// Drops every cached buffer (they are re-created on the next call).
    public func releaseBuffers() {
        trainingWorkspace = nil
        evaluationTeams = []
    }

    /// The training workspace for `batch` images of `height`×`width`, reused while it fits.
    func trainingWorkspace(batch: Int, height: Int, width: Int) throws -> Workspace {
        if let ws = trainingWorkspace, ws.capacity >= batch, ws.plans.first?.input.height == height,
           ws.plans.first?.input.width == width {
            return ws
        }
        trainingWorkspace = nil
        let ws = Workspace(plans: try plan(height: height, width: width), capacity: batch, training: true)
        trainingWorkspace = ws
        return ws
    }

    /// Images per evaluation chunk at `plans`: as many as keep the largest layer output within
    /// `evaluationChunkFloats` (at least 1).
    static func evaluationChunk(_ plans: [LayerPlan]) -> Int {
        max(1, evaluationChunkFloats / max(1, plans.map(\.output.count).max() ?? 1))
    }

    /// One evaluation workspace per thread for inputs of `height`×`width`, each for
    /// `evaluationChunk` images, cached per size.
    func evaluationTeam(height: Int, width: Int) throws -> [Workspace] {
        let threads = max(1, Parallel.threadCount)
        func fits(_ team: [Workspace]) -> Bool {
            team.count >= threads && team[0].plans.first?.input.height == height && team[0].plans.first?.input.width == width
        }
        if let index = evaluationTeams.firstIndex(where: fits) {
            let team = evaluationTeams.remove(at: index)
            evaluationTeams.append(team)
            return team
        }
        let plans = try plan(height: height, width: width)
        let chunk = Network.evaluationChunk(plans)
        let team = (0..<threads).map { _ in Workspace(plans: plans, capacity: chunk, training: false) }
        evaluationTeams.removeAll { $0[0].plans.first?.input.height == height && $0[0].plans.first?.input.width == width }
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
