import Kernels

/// How one pass over a placed graph uses memory: which buffer each node's output and output
/// gradient live in, which operations run in place, which ReLUs (and, in evaluation, clips) are
/// fused into the layer before them, and where gradients of a tensor read by several nodes are accumulated.
///
/// Steps: node j's forward pass is step j (0 ≤ j < n), the loss is step n, node j's backward
/// pass is step 2n − j. Every tensor lives from the step that first writes it to the last step
/// that reads it, and `BufferPlan` packs the tensors into one block by those intervals:
///
/// - output y_i: from step i to its consumers' last forward step; in training also to the last
///   backward step that reads it (node i's own when its backward reads y, a consumer's when
///   that consumer's backward reads its inputs), the model output to the loss step;
/// - output gradient dy_i: from the backward step of the last node that reads y_i (the first to
///   write dy_i) to node i's own backward step;
/// - a fan-out temporary: when y_i is read by several nodes (or twice by one), the first
///   backward writer overwrites dy_i and each later one writes into a temporary of y_i's size
///   that is then added to dy_i, so gradients accumulate over every path.
///
/// In evaluation, a batch norm that is its convolution's only reader is folded into it: the
/// convolution writes the batch norm's output (same buffer) with scaled weights and bias, and the
/// batch norm (and a ReLU after it, then fused into the convolution) does not run.
/// Also in evaluation, the add of a residual block whose first input is a convolution's output
/// (through its folded batch norm, nothing else), in place over it, is taken in that
/// convolution's store when the add's other input is computed before the convolution
/// (`residualFrom`): the convolution writes conv + b + skip, and a ReLU after the add is then
/// fused into it too (ResNet's identity blocks; a projection computed after the convolution, as
/// torchvision orders it, keeps its add).
/// A 2×2, stride-2, unpadded max pool that alone reads a convolution (through its folded batch
/// norm and fused ReLU, nothing else) is taken in that convolution's store where it can
/// (`Convolution.takesMaxPoolInStore`, `pooledInto`): the convolution writes the pool's output,
/// and its own full-size output is never stored. In training the pool's backward pass then
/// finds each window's winner from the winners the store saved, and the fused ReLU is one the
/// pool masks (`maskedByPool`), so nothing reads the convolution's output.
/// Also in evaluation, a pointwise convolution whose output (through its folded batch norm and
/// fused clip, nothing else) only a depthwise convolution reads runs inside that convolution's
/// pass, band by band of rows (`ExpansionBands`, `bandedFrom`), where its output for one image
/// is larger than `ExpansionBands.minimumExpandedFloats`: MobileNetV2's expansions, whose full
/// output is then never stored.
/// In place (`LayerSpec.mayRunInPlace`): node j writes y_j over its first input y_i when j is
/// y_i's only reader and, in training, no backward pass reads any tensor sharing that buffer
/// (otherwise the overwrite would destroy what it needs). A ReLU in place over a convolution or
/// batch norm is fused into that layer's store, and so is a clip (ReLU6) in evaluation
/// (`LayerSpec.fusedClamp`): the layer clamps its output as it stores it (`StoreClamp`). Backward in place (`mayBackpropagateInPlace`):
/// dy_i shares dy_j's buffer when j is y_i's only reader and its dx has dy's size.
struct ExecutionSchedule {
    /// Where node j's backward pass writes the gradient of its input slot k.
    struct InputGradient: Equatable {
        /// Offset of the tensor the kernel writes into (dy_i itself, or a temporary).
        var target: Int
        /// When set, the kernel wrote a temporary that is then added into dy_i at this offset.
        var accumulateInto: Int?
    }

    let count: Int
    /// outputOffsets[j]: y_j's offset in the block.
    let outputOffsets: [Int]
    /// gradientOffsets[j]: dy_j's offset (training; nil when nothing needs it).
    let gradientOffsets: [Int?]
    /// storeClamps[j]: the clamp node j (a convolution or batch norm) applies in its store, that
    /// of the ReLU or clip fused into it; `.none` when nothing is fused.
    let storeClamps: [StoreClamp]
    /// skipsForward[j]: node j is a ReLU or clip fused into the node it reads, a folded batch norm, an
    /// add or max pool taken in a convolution's store, or a pointwise convolution run in bands.
    let skipsForward: [Bool]
    /// foldedBatchNorm[j]: node j is a batch norm whose convolution (its input, read by it alone)
    /// applies it, with weights and bias scaled once (`EvaluationWeights`); evaluation only.
    let foldedBatchNorm: [Bool]
    /// residualFrom[j] = v: node j, a convolution, adds y_v (v = −1: the input image) in its store:
    /// the other input of the residual add it feeds (evaluation only; see above).
    let residualFrom: [Int?]
    /// pooledInto[j] = p: node j, a convolution, writes max pool p's output instead of its own
    /// (see above).
    let pooledInto: [Int?]
    /// bandedFrom[d] = c: node d, a depthwise convolution, computes the output of node c, a
    /// pointwise convolution, band by band as it reads it (`ExpansionBands`; evaluation only, see
    /// above); node c does not run on its own.
    let bandedFrom: [Int?]
    /// runsBackward[j]: node j has parameters or an input whose gradient is needed.
    let runsBackward: [Bool]
    /// maskedByPool[j]: node j is a ReLU read only by a max pool, its gradient in place, whose
    /// backward pass applies the ReLU's mask (the winner ≤ 0 passes no gradient) as it writes the
    /// ReLU's input gradient: the ReLU's own backward pass does not run (training only).
    let maskedByPool: [Bool]
    /// inputGradients[j][k]: where the gradient of node j's input k goes; nil when not needed.
    let inputGradients: [[InputGradient?]]
    /// Floats of the whole block.
    let floats: Int

    /// The schedule of `plan` for `capacity` images; `hasParameters[j]` says whether node j has
    /// trained parameters (its backward runs even when no input gradient is needed).
    init(plan: ModelPlan, hasParameters: [Bool], capacity: Int, training: Bool) {
        let nodes = plan.nodes, n = nodes.count
        count = n
        var consumers = [[(node: Int, slot: Int)]](repeating: [], count: n)
        for (j, node) in nodes.enumerated() {
            for (k, i) in node.inputs.enumerated() where i >= 0 { consumers[i].append((j, k)) }
        }
        func backwardStep(_ j: Int) -> Int { 2 * n - j }

        // Which outputs some backward pass reads.
        let readByBackward = (0..<n).map { i in
            training && (nodes[i].layer.backwardReadsOutput || consumers[i].contains { nodes[$0.node].layer.backwardReadsInputs })
        }

        // Forward storage: storage[i] is the node whose buffer y_i lives in.
        var storage = Array(0..<n)
        var pinned = readByBackward          // per storage: some tensor in it is read by backward
        var clamps = [StoreClamp](repeating: .none, count: n)
        var skips = [Bool](repeating: false, count: n), folded = skips
        var residual = [Int?](repeating: nil, count: n), addedBy = [Int?](repeating: nil, count: n)
        // Whether every node from c to i that shares convolution c's buffer is work c's store does
        // (`storeDoes`): then an add or pool after i can be taken in that store too.
        func onlyStoreWork(from c: Int, to i: Int, _ storeDoes: (Int) -> Bool) -> Bool {
            (c...i).allSatisfy { $0 == c || storage[$0] != c || storeDoes($0) }
        }
        for (j, node) in nodes.enumerated() {
            // Evaluation: a batch norm that alone reads a convolution is folded into its weights.
            if !training, node.layer == .batchNorm, let i = node.inputs.first, i >= 0, nodes[i].layer.isConvolution,
               consumers[i].count == 1, storage[i] == i {
                storage[j] = i
                folded[j] = true
                skips[j] = true
                continue
            }
            guard node.layer.mayRunInPlace(training: training), let i = node.inputs.first, i >= 0, consumers[i].count == 1,
                  nodes[i].output.count == node.output.count, !pinned[storage[i]] else { continue }
            storage[j] = storage[i]
            pinned[storage[j]] = pinned[storage[j]] || readByBackward[j]
            // Evaluation: a residual add over a convolution (and its folded batch norm alone) whose
            // other input already exists is added in the convolution's store.
            let c = storage[i]
            if !training, node.layer == .add, node.inputs.count == 2, node.inputs[1] < c, case .conv = nodes[c].layer,
               !Convolution(plan: nodes[c].layerPlan, batch: 1).isDepthwise, clamps[c].isNone, onlyStoreWork(from: c, to: i, { folded[$0] }) {
                residual[c] = node.inputs[1]
                addedBy[j] = c
                skips[j] = true
                continue
            }
            // The ReLU or clip of a folded batch norm, or of an add taken in a store, goes to its convolution.
            let target = folded[i] ? nodes[i].inputs[0] : addedBy[i] ?? i
            if let clamp = node.layer.fusedClamp(training: training), storage[i] == target, clamps[target].isNone {
                switch nodes[target].layer {
                case .conv, .batchNorm:
                    clamps[target] = clamp
                    skips[j] = true
                default: break
                }
            }
        }

        // A 2×2 max pool over a convolution that can take it (and only what its store applies).
        var pooled = [Int?](repeating: nil, count: n)
        for (p, node) in nodes.enumerated() {
            guard case .maxPool = node.layer, let i = node.inputs.first, i >= 0, consumers[i].count == 1,
                  node.rows?.isPairs == true, node.columns?.isPairs == true else { continue }
            let c = storage[i]
            guard case .conv = nodes[c].layer, residual[c] == nil,
                  Convolution(plan: nodes[c].layerPlan, batch: 1).takesMaxPoolInStore(evaluation: !training),
                  onlyStoreWork(from: c, to: i, { skips[$0] }) else { continue }
            pooled[c] = p
            skips[p] = true
        }

        // Evaluation: a large pointwise convolution read (through what its store does) only by a
        // depthwise one runs in that one's bands. Neither kind takes a max pool in its store
        // (`takesMaxPoolInStore`); a residual add taken in the pointwise one's store rules it out.
        var banded = [Int?](repeating: nil, count: n), bandedInto = banded
        for (d, node) in nodes.enumerated() where !training {
            guard case .conv = node.layer, let i = node.inputs.first, i >= 0, consumers[i].count == 1 else { continue }
            let c = storage[i]
            guard case .conv = nodes[c].layer, residual[c] == nil,
                  ExpansionBands.applies(expansion: Convolution(plan: nodes[c].layerPlan, batch: 1),
                                         depthwise: Convolution(plan: node.layerPlan, batch: 1)),
                  onlyStoreWork(from: c, to: i, { skips[$0] }) else { continue }
            banded[d] = c
            bandedInto[c] = d
            skips[c] = true
        }

        // Gradients: needed for nodes with parameters or whose inputs need one.
        var needsGradient = [Bool](repeating: false, count: n)
        for (j, node) in nodes.enumerated() {
            needsGradient[j] = hasParameters[j] || node.inputs.contains { $0 >= 0 && needsGradient[$0] }
        }
        let runs = training ? needsGradient : [Bool](repeating: false, count: n)

        // Intervals: one per forward storage, one per gradient storage, one per fan-out temporary.
        var intervals: [BufferPlan.Interval] = []
        var forwardSlot = [Int](repeating: -1, count: n)
        // A pool taken in a convolution's store is born with it; that convolution's output is never stored.
        var birth = Array(0..<n)
        for (c, p) in pooled.enumerated() { if let p { birth[p] = c } }
        for i in 0..<n where storage[i] == i {
            forwardSlot[i] = intervals.count
            let stored = pooled[i] == nil && bandedInto[i] == nil
            intervals.append(.init(floats: stored ? capacity * nodes[i].output.count : 0, birth: birth[i], death: i))
        }
        for i in 0..<n {
            // The output lives to the loss; what a convolution run in bands reads, to the end of its bands.
            var death = max(i, consumers[i].map { bandedInto[$0.node] ?? $0.node }.max() ?? n)
            if readByBackward[i] {
                if nodes[i].layer.backwardReadsOutput && runs[i] { death = max(death, backwardStep(i)) }
                for (j, _) in consumers[i] where nodes[j].layer.backwardReadsInputs && runs[j] { death = max(death, backwardStep(j)) }
            }
            let slot = forwardSlot[storage[i]]
            intervals[slot].death = max(intervals[slot].death, death)
        }

        var gradientStorage = [Int](repeating: -1, count: n)
        var gradientSlot = [Int](repeating: -1, count: n)
        var targets = nodes.map { [InputGradient?](repeating: nil, count: $0.inputs.count) }
        var temporaries: [(node: Int, slot: Int, interval: Int)] = []
        if training {
            // Visit writers in backward order: the first writer of dy_i overwrites it.
            var written = [Bool](repeating: false, count: n)
            gradientStorage[n - 1] = n - 1
            gradientSlot[n - 1] = intervals.count
            intervals.append(.init(floats: capacity * nodes[n - 1].output.count, birth: n, death: backwardStep(n - 1)))
            for j in stride(from: n - 1, through: 0, by: -1) where runs[j] {
                for (k, i) in nodes[j].inputs.enumerated() where i >= 0 && needsGradient[i] {
                    if written[i] {
                        temporaries.append((j, k, intervals.count))
                        intervals.append(.init(floats: capacity * nodes[i].output.count, birth: backwardStep(j), death: backwardStep(j)))
                        continue
                    }
                    written[i] = true
                    let inPlace = k == 0 && nodes[j].layer.mayBackpropagateInPlace && consumers[i].count == 1
                        && nodes[i].output.count == nodes[j].output.count
                    if inPlace {
                        gradientStorage[i] = gradientStorage[j]
                        intervals[gradientSlot[gradientStorage[i]]].death = backwardStep(i)
                    } else {
                        gradientStorage[i] = i
                        gradientSlot[i] = intervals.count
                        intervals.append(.init(floats: capacity * nodes[i].output.count, birth: backwardStep(j), death: backwardStep(i)))
                    }
                }
            }
        }

        // A ReLU read by one max pool, its gradient in place, is masked by that pool's backward.
        var masked = [Bool](repeating: false, count: n)
        for (j, node) in nodes.enumerated() where training && node.layer == .relu && runs[j] && consumers[j].count == 1 {
            guard let i = node.inputs.first, i >= 0, needsGradient[i], gradientStorage[i] == gradientStorage[j],
                  case .maxPool = nodes[consumers[j][0].node].layer else { continue }
            masked[j] = true
        }

        for (c, p) in pooled.enumerated() where training && p != nil {
            precondition((c + 1..<p!).allSatisfy { storage[$0] != c || masked[$0] }, "a pool taken in a store in training masks the ReLU before it")
        }

        let layout = BufferPlan(intervals)
        outputOffsets = (0..<n).map { layout.offsets[forwardSlot[storage[$0]]] }
        let gradients: [Int?] = (0..<n).map { gradientStorage[$0] < 0 ? nil : layout.offsets[gradientSlot[gradientStorage[$0]]] }
        for j in 0..<n where runs[j] {
            for (k, i) in nodes[j].inputs.enumerated() where i >= 0 && needsGradient[i] {
                targets[j][k] = InputGradient(target: gradients[i]!, accumulateInto: nil)
            }
        }
        for temporary in temporaries {
            let i = nodes[temporary.node].inputs[temporary.slot]
            targets[temporary.node][temporary.slot] = InputGradient(target: layout.offsets[temporary.interval], accumulateInto: gradients[i]!)
        }
        gradientOffsets = gradients
        storeClamps = clamps
        skipsForward = skips
        foldedBatchNorm = folded
        runsBackward = runs
        maskedByPool = masked
        pooledInto = pooled
        bandedFrom = banded
        residualFrom = residual
        inputGradients = targets
        floats = layout.floats
    }
}
