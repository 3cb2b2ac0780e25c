import Foundation
import Kernels

/// Every buffer one forward (and, in training, backward) pass needs for up to `capacity` images
/// of one input size, allocated once and reused by every later pass at that size:
///
/// - activations and their gradients: one block laid out by liveness (`ExecutionSchedule`), so
///   a buffer is reused once nothing reads its tensor any more; in place where the op allows;
/// - saved state: batch-norm statistics, dropout masks, the winners of max pools taken in a
///   convolution's store, and global-max-pool winners (all but the first: training), per node;
/// - scratch: per-thread im2col blocks, per-group weight-gradient partials (training) and
///   per-chunk partial sums.
final class Workspace {
    /// The graph placed at this size; `plans[j]` is node j seen as a layer (its first input).
    let plan: ModelPlan
    let plans: [LayerPlan]
    let capacity: Int
    let training: Bool
    let schedule: ExecutionSchedule
    /// outputs[j]: node j's output y_j, (capacity, Ho, Wo, F).
    private(set) var outputs: [UnsafeMutablePointer<Float>] = []
    /// dOutputs[j]: dLoss/dy_j (training, when needed).
    private(set) var dOutputs: [UnsafeMutablePointer<Float>?] = []
    /// Per-node saved floats (batch-norm statistics, dropout masks, pooled-store winners), or nil.
    private(set) var savedFloats: [UnsafeMutablePointer<Float>?] = []
    /// Per-node saved indices (global-max-pool winners), or nil.
    private(set) var savedIndices: [UnsafeMutablePointer<Int32>?] = []
    let labels: UnsafeMutablePointer<Int32>
    let scratch: Scratch
    /// Bytes this workspace allocated.
    let byteCount: Int
    private let floats: UnsafeMutablePointer<Float>
    private let indices: UnsafeMutablePointer<Int32>
    private let partials: UnsafeMutablePointer<Double>

    init(plan: ModelPlan, hasParameters: [Bool], capacity: Int, training: Bool) {
        self.plan = plan
        plans = plan.nodes.map(\.layerPlan)
        self.capacity = capacity
        self.training = training
        schedule = ExecutionSchedule(plan: plan, hasParameters: hasParameters, capacity: capacity, training: training)
        func aligned(_ count: Int) -> Int { (count + 15) / 16 * 16 }
        let sizes = plans.map { capacity * $0.output.count }

        var savedFloatSizes = [Int](repeating: 0, count: plans.count)
        var savedIndexSizes = [Int](repeating: 0, count: plans.count)
        var columnBlockFloats = 0, gradientGroupFloats = 0, partialWidth = 16
        for (l, plan) in plans.enumerated() {
            partialWidth = max(partialWidth, plan.output.channels)
            switch plan.spec {
            case .conv:
                let conv = Convolution(plan: plan, batch: capacity)
                columnBlockFloats = max(columnBlockFloats, aligned(conv.columnBlockFloats(training: training,
                                                                                          pooled: schedule.pooledInto[l] != nil)))
                // A depthwise convolution that computes its input in bands holds them in the scratch block.
                if let expansion = schedule.bandedFrom[l] {
                    let bands = ExpansionBands(expansion: Convolution(plan: plans[expansion], batch: capacity), depthwise: conv)
                    columnBlockFloats = max(columnBlockFloats, aligned(bands.bufferFloats))
                }
                // A pool taken in this convolution's store in training keeps its winners.
                if training, let pool = schedule.pooledInto[l] { savedFloatSizes[pool] = aligned(sizes[pool]) }
                if training { gradientGroupFloats = max(gradientGroupFloats, aligned(conv.gradientGroupFloats)) }
            case .globalMaxPool:
                if training { savedIndexSizes[l] = aligned(sizes[l]) }
            case .batchNorm:
                savedFloatSizes[l] = aligned(4 * plan.input.channels)
            case .dropout:
                if training { savedFloatSizes[l] = aligned(sizes[l]) }
            case let .bias(height, width):
                partialWidth = max(partialWidth, height * width * plan.input.channels)
            default:
                break
            }
        }

        let threads = max(1, Parallel.threadCount)
        let gradientPartialFloats = min(capacity, Convolution.gradientGroups) * gradientGroupFloats
        let floatTotal = schedule.floats + savedFloatSizes.reduce(0, +) + threads * columnBlockFloats + gradientPartialFloats
        let indexTotal = savedIndexSizes.reduce(0, +)
        floats = Workspace.allocate(Float.self, max(16, floatTotal))
        indices = Workspace.allocate(Int32.self, max(16, indexTotal))
        labels = Workspace.allocate(Int32.self, capacity)
        partials = Workspace.allocate(Double.self, Scratch.sumChunks * partialWidth)
        byteCount = 4 * (max(16, floatTotal) + max(16, indexTotal) + capacity) + 8 * Scratch.sumChunks * partialWidth

        let block = floats
        outputs = schedule.outputOffsets.map { block + $0 }
        dOutputs = schedule.gradientOffsets.map { $0.map { block + $0 } }
        var cursor = floats + schedule.floats
        func carve(_ count: Int) -> UnsafeMutablePointer<Float> { defer { cursor += count }; return cursor }
        savedFloats = savedFloatSizes.map { $0 > 0 ? carve($0) : nil }
        let columns = carve(threads * columnBlockFloats)
        let gradientPartials = carve(gradientPartialFloats)
        var indexCursor = indices
        savedIndices = savedIndexSizes.map { size in
            guard size > 0 else { return nil }
            defer { indexCursor += size }
            return indexCursor
        }
        scratch = Scratch(columns: columns, columnBlockFloats: columnBlockFloats,
                          gradientPartials: gradientPartials, gradientGroupFloats: gradientGroupFloats,
                          partials: partials, partialWidth: partialWidth, threads: threads)
    }

    /// A workspace for layers placed one after another (the chain of `plans`), as kernel tests use.
    convenience init(plans: [LayerPlan], capacity: Int, training: Bool) {
        let plan = ModelPlan(graph: GraphSpec(chain: ModelSpec(layers: plans.map(\.spec))), input: plans[0].input)
        self.init(plan: plan, hasParameters: plans.map { !$0.spec.parameterShapes(input: $0.input).isEmpty },
                  capacity: capacity, training: training)
    }

    deinit {
        floats.deallocate()
        indices.deallocate()
        labels.deallocate()
        partials.deallocate()
    }

    /// The input height and width this workspace was laid out for.
    var inputSize: (height: Int, width: Int) { (plan.input.height, plan.input.width) }

    /// The model's output (the logits), (capacity, classes).
    var logits: UnsafeMutablePointer<Float> { outputs[outputs.count - 1] }

    /// dLoss/dlogits (training).
    var dLogits: UnsafeMutablePointer<Float> { dOutputs[dOutputs.count - 1]! }

    /// The block offset `offset` as a pointer (a gradient target from the schedule).
    func pointer(_ offset: Int) -> UnsafeMutablePointer<Float> { floats + offset }

    /// The tensor node index `i` names: the image `image` for −1, else node i's output.
    @inline(__always)
    func input(_ i: Int, image: UnsafePointer<Float>) -> UnsafePointer<Float> { i < 0 ? image : UnsafePointer(outputs[i]) }

    /// Every input of a merge node (an array: only merges take several; single-input nodes
    /// use `input`, so a chain's passes allocate nothing).
    func inputs(of node: NodePlan, image: UnsafePointer<Float>) -> [UnsafePointer<Float>] {
        node.inputs.map { input($0, image: image) }
    }

    /// Where node j's backward writes each input's gradient (nil: not needed).
    func inputGradients(of j: Int) -> [UnsafeMutablePointer<Float>?] {
        schedule.inputGradients[j].map { $0.map { pointer($0.target) } }
    }

    /// 64-byte aligned, zero-filled memory for `count` values.
    private static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<T>.stride)
        return raw.bindMemory(to: T.self, capacity: count)
    }
}

extension NodePlan {
    /// The node as a one-input layer (its first input), the form the kernels take.
    var layerPlan: LayerPlan { LayerPlan(spec: layer, input: input, output: output, rows: rows, columns: columns) }
}

/// The evaluation workspaces of one input size (`Network.evaluationTeam`): one per thread, each
/// thread running whole chunks in its own, or one whose every layer the threads share
/// (`layerParallel`); and the convolution weights last prepared for that size.
final class EvaluationTeam {
    let workspaces: [Workspace]
    let layerParallel: Bool
    /// Where `predict` splits the nodes (`Network.evaluationSplit`): nodes 0…cut run in `head`,
    /// one workspace per thread with smaller chunks, the rest in `workspaces[0]`.
    struct Split {
        let cut: Int
        let head: [Workspace]
    }
    /// nil: no split.
    let split: Split?
    /// The parameters `prepared` was made from, and what was made.
    private var preparedFrom: [Float] = []
    private var prepared: [EvaluationWeights?] = []

    init(workspaces: [Workspace], layerParallel: Bool, split: Split? = nil) {
        self.workspaces = workspaces
        self.layerParallel = layerParallel
        self.split = split
    }

    /// Whether the team can run on `threads` threads: a workspace per thread, or a shared one
    /// whose scratch has a block per thread.
    func serves(threads: Int) -> Bool {
        (layerParallel ? workspaces[0].scratch.threads >= threads : workspaces.count >= threads) && (split.map { $0.head.count >= threads } ?? true)
    }

    /// The weights `prepare` makes from `parameters`, made again only when a parameter differs
    /// from those of the last call (compared exactly, every float: a changed weight can never
    /// reuse stale preparations; reading them costs far less than packing and transforming).
    func preparedWeights(_ parameters: UnsafeBufferPointer<Float>, _ prepare: () -> [EvaluationWeights?]) -> [EvaluationWeights?] {
        let unchanged = !prepared.isEmpty && preparedFrom.count == parameters.count
            && (parameters.isEmpty || memcmp(preparedFrom, parameters.baseAddress!, 4 * parameters.count) == 0)
        if !unchanged {
            prepared = prepare()
            preparedFrom = Array(parameters)
        }
        return prepared
    }
}
