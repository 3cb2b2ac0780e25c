import Kernels

/// Every buffer one forward (and, in training, backward) pass needs for up to `capacity` images
/// of one input size, allocated once and reused by every later pass at that size:
///
/// - activations: in training each layer's output is kept for backward; in evaluation outputs
///   alternate between two buffers. ReLU and flatten (after the first layer) work in place.
/// - gradients (training): two alternating buffers for dLoss/d(layer output).
/// - saved state (training): global-max-pool winners, batch-norm statistics, dropout masks.
/// - scratch: per-thread im2col blocks, per-group weight-gradient partials (training) and
///   per-thread partial sums.
final class Workspace {
    let plans: [LayerPlan]
    let capacity: Int
    let training: Bool
    /// outputs[l]: layer l's output, (capacity, Ho, Wo, F).
    private(set) var outputs: [UnsafeMutablePointer<Float>] = []
    /// dOutputs[l]: dLoss/d outputs[l] (training only).
    private(set) var dOutputs: [UnsafeMutablePointer<Float>] = []
    /// Per-layer saved floats (batch-norm statistics, dropout masks), or nil.
    private(set) var savedFloats: [UnsafeMutablePointer<Float>?] = []
    /// Per-layer saved indices (global-max-pool winners), or nil.
    private(set) var savedIndices: [UnsafeMutablePointer<Int32>?] = []
    let labels: UnsafeMutablePointer<Int32>
    let scratch: Scratch
    private let floats: UnsafeMutablePointer<Float>
    private let indices: UnsafeMutablePointer<Int32>
    private let partials: UnsafeMutablePointer<Double>

    init(plans: [LayerPlan], capacity: Int, training: Bool) {
        self.plans = plans
        self.capacity = capacity
        self.training = training
        let layers = plans.count
        func aligned(_ count: Int) -> Int { (count + 15) / 16 * 16 }
        func inPlace(_ l: Int) -> Bool { l > 0 && Workspace.worksInPlace(plans[l].spec) }
        let sizes = plans.map { capacity * $0.output.count }

        // Activation buffers: one per non-in-place output (training) or two alternating.
        var activationBuffer = [Int](repeating: 0, count: layers)
        var next = 0
        for l in 0..<layers {
            if inPlace(l) { activationBuffer[l] = activationBuffer[l - 1]; continue }
            activationBuffer[l] = training ? next : (l == 0 ? 0 : 1 - activationBuffer[l - 1])
            next += 1
        }
        let activationCount = training ? next : min(2, next)
        var activationSizes = [Int](repeating: 0, count: activationCount)
        for l in 0..<layers { activationSizes[activationBuffer[l]] = max(activationSizes[activationBuffer[l]], aligned(sizes[l])) }

        // Gradient buffers, alternating backwards from the logits.
        var gradientBuffer = [Int](repeating: 0, count: layers)
        var gradientSizes = [0, 0]
        if training {
            for l in stride(from: layers - 1, through: 0, by: -1) {
                if l < layers - 1 { gradientBuffer[l] = inPlace(l + 1) ? gradientBuffer[l + 1] : 1 - gradientBuffer[l + 1] }
                gradientSizes[gradientBuffer[l]] = max(gradientSizes[gradientBuffer[l]], aligned(sizes[l]))
            }
        } else {
            gradientSizes = [0, 0]
        }

        // Saved state.
        var savedFloatSizes = [Int](repeating: 0, count: layers)
        var savedIndexSizes = [Int](repeating: 0, count: layers)
        var columnBlockFloats = 0, gradientGroupFloats = 0, partialWidth = 16
        for (l, plan) in plans.enumerated() {
            partialWidth = max(partialWidth, plan.output.channels)
            switch plan.spec {
            case .conv:
                let conv = Convolution(plan: plan, batch: capacity)
                columnBlockFloats = max(columnBlockFloats, aligned(conv.columnBlockFloats))
                if training { gradientGroupFloats = max(gradientGroupFloats, aligned(conv.gradientGroupFloats)) }
            case .globalMaxPool:
                if training { savedIndexSizes[l] = aligned(sizes[l]) }
            case .batchNorm:
                savedFloatSizes[l] = aligned(4 * plan.input.channels)
            case .dropout:
                if training { savedFloatSizes[l] = aligned(sizes[l]) }
            default:
                break
            }
        }

        let threads = max(1, Parallel.threadCount)
        let gradientPartialFloats = min(capacity, Convolution.gradientGroups) * gradientGroupFloats
        let floatTotal = activationSizes.reduce(0, +) + gradientSizes.reduce(0, +) + savedFloatSizes.reduce(0, +)
            + threads * columnBlockFloats + gradientPartialFloats
        floats = Workspace.allocate(Float.self, max(16, floatTotal))
        indices = Workspace.allocate(Int32.self, max(16, savedIndexSizes.reduce(0, +)))
        labels = Workspace.allocate(Int32.self, capacity)
        partials = Workspace.allocate(Double.self, threads * partialWidth)

        var cursor = floats
        func carve(_ count: Int) -> UnsafeMutablePointer<Float> { defer { cursor += count }; return cursor }
        let activationPointers = activationSizes.map(carve)
        let gradientPointers = gradientSizes.map(carve)
        outputs = activationBuffer.map { activationPointers[$0] }
        if training { dOutputs = gradientBuffer.map { gradientPointers[$0] } }
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

    deinit {
        floats.deallocate()
        indices.deallocate()
        labels.deallocate()
        partials.deallocate()
    }

    /// ReLU and flatten write their output over their input (ReLU's backward needs only its
    /// output; flatten is a reinterpretation of NHWC memory).
    static func worksInPlace(_ spec: LayerSpec) -> Bool {
        switch spec {
        case .relu, .flatten: return true
        default: return false
        }
    }

    /// 64-byte aligned, zero-filled memory for `count` values.
    private static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<T>.stride)
        return raw.bindMemory(to: T.self, capacity: count)
    }
}
