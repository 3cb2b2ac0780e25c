import Kernels

/// The forward and backward passes: nodes in graph order, then in reverse, one switch over the
/// layer kinds calling the kernels with the workspace's buffers (`ExecutionSchedule` decides
/// which buffer each tensor lives in, what runs in place and which ReLUs and clips are fused).
extension Network {
    /// Runs every node on `batch` images at `input` (N, H, W, C); the logits end in `ws.logits`.
    ///
    /// A ReLU (or, in evaluation, a clip) the schedule fuses is applied in the store of the
    /// convolution or batch norm it reads (`storeClamps`; it works in place, so its output is the
    /// same buffer; neither layer's backward reads its own output, and ReLU's backward reads only
    /// the output); a residual add or a max
    /// pool taken in a convolution's store (`residualFrom`, `pooledInto`, evaluation) is applied
    /// or written by that convolution; a pointwise convolution run in a depthwise one's bands
    /// (`bandedFrom`, evaluation) is computed there.
    ///
    /// `prepared[j]`: node j's convolution or dense weights prepared once by `evaluationWeights`
    /// for an evaluation (nil: each layer prepares its weights itself; required when the schedule
    /// folds a batch norm). A workspace not made for training runs an evaluation pass
    /// (`Convolution.forward(…, evaluation:)`).
    /// `nodes`: only these nodes run (`predict`'s split at a cut, `Network.evaluationSplit`): the
    /// tensors they read from before the range must already be in the workspace.
    func forward(_ input: UnsafePointer<Float>, batch: Int, workspace ws: Workspace,
                 prepared: [EvaluationWeights?]? = nil, nodes: Range<Int> = 0..<Int.max) {
        let scratch = ws.scratch, schedule = ws.schedule
        precondition(prepared != nil || !schedule.foldedBatchNorm.contains(true), "a folded batch norm needs prepared weights")
        for (j, node) in ws.plan.nodes.enumerated() where nodes.contains(j) && !schedule.skipsForward[j] {
            let plan = ws.plans[j]
            let x = ws.input(node.inputs[0], image: input), y = ws.outputs[j]
            let parameters = arena.values + parameterOffsets[j]
            let count = batch * plan.output.count
            let clamp = schedule.storeClamps[j]
            switch node.layer {
            case .conv:
                if let expansion = schedule.bandedFrom[j] {
                    forwardBands(expansion: expansion, depthwise: j, batch: batch, image: input, workspace: ws, prepared: prepared)
                    break
                }
                let weights = prepared?[j], pool = schedule.pooledInto[j]
                Convolution(plan: plan, batch: batch).forward(
                    x: x, weight: weights?.foldedWeight ?? parameters, bias: weights?.foldedBias ?? parameters + biasOffsets[j],
                    y: pool.map { ws.outputs[$0] } ?? y, clamp: clamp, scratch: scratch, evaluation: !ws.training,
                    packed: weights?.packed, pooled: pool.map { ws.plans[$0].output }, winners: pool.flatMap { ws.savedFloats[$0] },
                    residual: schedule.residualFrom[j].map { ws.input($0, image: input) })
            case .relu:
                reluForward(x: x, y: y, count: count, scratch: scratch)
            case .maxPool:
                Pooling(plan: plan, batch: batch).maxForward(x: x, y: y, scratch: scratch)
            case .avgPool:
                Pooling(plan: plan, batch: batch).averageForward(x: x, y: y, scratch: scratch)
            case .globalAvgPool:
                GlobalPooling(plan: plan, batch: batch).averageForward(x: x, y: y, scratch: scratch)
            case .globalMaxPool:
                GlobalPooling(plan: plan, batch: batch).maxForward(x: x, y: y, indices: ws.savedIndices[j], scratch: scratch)
            case .blurPool:
                BlurPool(plan: plan, batch: batch).forward(x: x, y: y, scratch: scratch)
            case .flatten:
                if x != UnsafePointer(y) { y.update(from: x, count: count) }
            case .dense:
                Dense(inputs: plan.input.channels, units: plan.output.channels, batch: batch).forward(
                    x: x, weight: parameters, bias: parameters + biasOffsets[j], y: y, packed: prepared?[j]?.dense)
            case .batchNorm:
                BatchNorm(channels: plan.input.channels, positions: batch * plan.input.height * plan.input.width).forward(
                    x: x, parameters: parameters, y: y, saved: ws.savedFloats[j]!, training: ws.training, clamp: clamp,
                    scratch: scratch)
            case let .dropout(rate):
                if ws.training {
                    dropoutForward(x: x, y: y, mask: ws.savedFloats[j]!, rate: rate, count: count, generator: &dropoutGenerator)
                } else if x != UnsafePointer(y) {
                    y.update(from: x, count: count)
                }
            case let .activation(kind):
                kind.forward(x: x, y: y, count: count, scratch: scratch)
            case .add:
                Merge(node: node, batch: batch).addForward(ws.inputs(of: node, image: input), y: y, scratch: scratch)
            case .multiply:
                Merge(node: node, batch: batch).multiplyForward(ws.inputs(of: node, image: input), y: y, scratch: scratch)
            case .concat:
                Merge(node: node, batch: batch).concatForward(ws.inputs(of: node, image: input), y: y, scratch: scratch)
            case .softmax:
                softmaxForward(x: x, y: y, rows: batch * plan.output.height * plan.output.width, width: plan.output.channels)
            case .affine:
                ChannelAffine(channels: plan.input.channels, positions: batch * plan.input.height * plan.input.width).forward(
                    x: x, parameters: parameters, y: y, scratch: scratch)
            case let .bias(height, width):
                PositionalBias(period: height * width * plan.input.channels, count: count).forward(x: x, bias: parameters, y: y, scratch: scratch)
            }
        }
    }

    /// Node d, a depthwise convolution, with the pointwise convolution c whose output it reads
    /// computed band by band (`ExecutionSchedule.bandedFrom`, `ExpansionBands`): c's weights
    /// packed once for the call when `prepared` has none.
    private func forwardBands(expansion c: Int, depthwise d: Int, batch: Int, image: UnsafePointer<Float>, workspace ws: Workspace,
                              prepared: [EvaluationWeights?]?) {
        let bands = ExpansionBands(expansion: Convolution(plan: ws.plans[c], batch: batch), depthwise: Convolution(plan: ws.plans[d], batch: batch))
        let expansion = arena.values + parameterOffsets[c], depthwise = arena.values + parameterOffsets[d]
        let x = ws.input(ws.plan.nodes[c].inputs[0], image: image)
        func run(_ packed: PackedMatrix) {
            bands.forward(x: x, expansionWeights: packed, expansionBias: prepared?[c]?.foldedBias ?? expansion + biasOffsets[c],
                          expansionClamp: ws.schedule.storeClamps[c], depthwiseWeight: prepared?[d]?.foldedWeight ?? depthwise,
                          depthwiseBias: prepared?[d]?.foldedBias ?? depthwise + biasOffsets[d], depthwiseClamp: ws.schedule.storeClamps[d],
                          y: ws.outputs[d], scratch: ws.scratch)
        }
        if let packed = prepared?[c]?.packed.first {
            run(packed.matrix)
        } else {
            withPackedMatrix(k: bands.expansion.depth, n: bands.expansion.filters, b: expansion, ldb: bands.expansion.filters, run)
        }
    }

    /// Back-propagates `ws.dLogits` (dLoss/dlogits) through every node whose backward the
    /// schedule runs, in reverse order, writing every parameter gradient into `arena.gradients`
    /// and each needed input gradient where the schedule says; a gradient written into a
    /// fan-out temporary is then added into its tensor's gradient.
    func backward(_ input: UnsafePointer<Float>, batch: Int, workspace ws: Workspace) {
        let scratch = ws.scratch, schedule = ws.schedule
        for j in stride(from: ws.plan.nodes.count - 1, through: 0, by: -1) where schedule.runsBackward[j] {
            let node = ws.plan.nodes[j], plan = ws.plans[j]
            let x = ws.input(node.inputs[0], image: input), y = UnsafePointer(ws.outputs[j])
            let dy = UnsafePointer(ws.dOutputs[j]!)
            let targets = schedule.inputGradients[j]
            let dx = targets[0].map { ws.pointer($0.target) }
            let parameters = arena.values + parameterOffsets[j]
            let gradients = arena.gradients + parameterOffsets[j]
            let count = batch * plan.output.count
            switch node.layer {
            case .conv:
                Convolution(plan: plan, batch: batch).backward(
                    x: x, weight: parameters, dy: dy, dWeight: gradients, dBias: gradients + biasOffsets[j], dx: dx, scratch: scratch)
            case .dense:
                Dense(inputs: plan.input.channels, units: plan.output.channels, batch: batch).backward(
                    x: x, weight: parameters, dy: dy, dWeight: gradients, dBias: gradients + biasOffsets[j], dx: dx, scratch: scratch)
            case .batchNorm:
                BatchNorm(channels: plan.input.channels, positions: batch * plan.input.height * plan.input.width).backward(
                    x: x, parameters: parameters, dy: dy, saved: ws.savedFloats[j]!, dParameters: gradients, dx: dx, scratch: scratch)
            case .affine:
                ChannelAffine(channels: plan.input.channels, positions: batch * plan.input.height * plan.input.width).backward(
                    x: x, parameters: parameters, dy: dy, dParameters: gradients, dx: dx, scratch: scratch)
            case let .bias(height, width):
                PositionalBias(period: height * width * plan.input.channels, count: count).backward(
                    dy: dy, dBias: gradients, dx: dx, scratch: scratch)
            case .add:
                Merge(node: node, batch: batch).addBackward(dy: dy, dxs: ws.inputGradients(of: j), scratch: scratch)
            case .multiply:
                Merge(node: node, batch: batch).multiplyBackward(ws.inputs(of: node, image: input), dy: dy,
                                                                 dxs: ws.inputGradients(of: j), scratch: scratch)
            case .concat:
                Merge(node: node, batch: batch).concatBackward(dy: dy, dxs: ws.inputGradients(of: j), scratch: scratch)
            default:
                guard let dx else { break }
                switch node.layer {
                case .relu:
                    if !schedule.maskedByPool[j] { reluBackward(y: y, dy: dy, dx: dx, count: count, scratch: scratch) }
                case .maxPool:
                    let masked = node.inputs[0] >= 0 && schedule.maskedByPool[node.inputs[0]]
                    if schedule.pooledInto.contains(j) {
                        Pooling(plan: plan, batch: batch).tiledMaxBackward(winners: ws.savedFloats[j]!, y: y, dy: dy, dx: dx,
                                                                            reluMask: masked, scratch: scratch)
                    } else {
                        Pooling(plan: plan, batch: batch).maxBackward(x: x, y: y, dy: dy, dx: dx, reluMask: masked, scratch: scratch)
                    }
                case .avgPool:
                    Pooling(plan: plan, batch: batch).averageBackward(dy: dy, dx: dx, scratch: scratch)
                case .globalAvgPool:
                    GlobalPooling(plan: plan, batch: batch).averageBackward(dy: dy, dx: dx, scratch: scratch)
                case .globalMaxPool:
                    GlobalPooling(plan: plan, batch: batch).maxBackward(dy: dy, indices: ws.savedIndices[j]!, dx: dx, scratch: scratch)
                case .blurPool:
                    BlurPool(plan: plan, batch: batch).backward(dy: dy, dx: dx, scratch: scratch)
                case .flatten:
                    if dy != UnsafePointer(dx) { dx.update(from: dy, count: count) }
                case .dropout:
                    dropoutBackward(dy: dy, mask: ws.savedFloats[j]!, dx: dx, count: count)
                case let .activation(kind):
                    kind.backward(x: x, y: y, dy: dy, dx: dx, count: count, scratch: scratch)
                case .softmax:
                    softmaxBackward(y: y, dy: dy, dx: dx, rows: batch * plan.output.height * plan.output.width, width: plan.output.channels)
                case .conv, .dense, .batchNorm, .affine, .bias, .add, .multiply, .concat:
                    break
                }
            }
            for k in targets.indices {
                guard let target = targets[k], let total = target.accumulateInto else { continue }
                addVector(ws.pointer(target.target), to: ws.pointer(total), count: batch * node.inputShapes[k].count)
            }
        }
    }
}
