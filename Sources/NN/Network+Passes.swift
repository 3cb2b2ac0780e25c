/// The forward and backward passes: one switch over the layer kinds, calling the kernels with
/// the workspace's buffers.
extension Network {
    /// Runs every layer on `batch` images at `input` (N, H, W, C); the logits end in
    /// `workspace.outputs.last`.
    ///
    /// A ReLU right after a convolution or batch norm is fused into that layer's store (the
    /// ReLU works in place, so its output is the same buffer; neither layer's backward reads its
    /// own output, and ReLU's backward reads only the output).
    func forward(_ input: UnsafePointer<Float>, batch: Int, workspace ws: Workspace) {
        let scratch = ws.scratch
        var fusedIntoPrevious = false
        for (l, plan) in ws.plans.enumerated() {
            if fusedIntoPrevious {
                fusedIntoPrevious = false
                continue
            }
            let x = l == 0 ? input : UnsafePointer(ws.outputs[l - 1])
            let y = ws.outputs[l]
            let parameters = arena.values + parameterOffsets[l]
            let count = batch * plan.output.count
            let reluFollows = l + 1 < ws.plans.count && ws.plans[l + 1].spec == .relu && ws.outputs[l + 1] == y
            switch plan.spec {
            case .conv:
                Convolution(plan: plan, batch: batch).forward(
                    x: x, weight: parameters, bias: parameters + biasOffset(l), y: y, relu: reluFollows, scratch: scratch)
                fusedIntoPrevious = reluFollows
            case .relu:
                reluForward(x: x, y: y, count: count, scratch: scratch)
            case .maxPool:
                Pooling(plan: plan, batch: batch).maxForward(x: x, y: y, scratch: scratch)
            case .avgPool:
                Pooling(plan: plan, batch: batch).averageForward(x: x, y: y, scratch: scratch)
            case .globalAvgPool:
                GlobalPooling(plan: plan, batch: batch).averageForward(x: x, y: y, scratch: scratch)
            case .globalMaxPool:
                GlobalPooling(plan: plan, batch: batch).maxForward(x: x, y: y, indices: ws.savedIndices[l], scratch: scratch)
            case .blurPool:
                BlurPool(plan: plan, batch: batch).forward(x: x, y: y, scratch: scratch)
            case .flatten:
                if x != UnsafePointer(y) { y.update(from: x, count: count) }
            case .dense:
                Dense(inputs: plan.input.channels, units: plan.output.channels, batch: batch).forward(
                    x: x, weight: parameters, bias: parameters + biasOffset(l), y: y)
            case .batchNorm:
                BatchNorm(channels: plan.input.channels, positions: batch * plan.input.height * plan.input.width).forward(
                    x: x, parameters: parameters, y: y, saved: ws.savedFloats[l]!, training: ws.training, relu: reluFollows,
                    scratch: scratch)
                fusedIntoPrevious = reluFollows
            case let .dropout(rate):
                if ws.training {
                    dropoutForward(x: x, y: y, mask: ws.savedFloats[l]!, rate: rate, count: count, generator: &dropoutGenerator)
                } else {
                    y.update(from: x, count: count)
                }
            case .activation, .add, .multiply, .concat, .softmax, .affine, .bias:
                preconditionFailure("Network.init refuses \(plan.spec), which the list engine does not run")
            }
        }
    }

    /// Back-propagates `ws.dOutputs.last` (dLoss/dlogits) through every layer, writing every
    /// parameter gradient into `arena.gradients`; the first layer's input gradient is skipped.
    func backward(_ input: UnsafePointer<Float>, batch: Int, workspace ws: Workspace) {
        let scratch = ws.scratch
        for l in stride(from: ws.plans.count - 1, through: 0, by: -1) {
            let plan = ws.plans[l]
            let x = l == 0 ? input : UnsafePointer(ws.outputs[l - 1])
            let y = UnsafePointer(ws.outputs[l])
            let dy = UnsafePointer(ws.dOutputs[l])
            let dx = l == 0 ? nil : ws.dOutputs[l - 1]
            let parameters = arena.values + parameterOffsets[l]
            let gradients = arena.gradients + parameterOffsets[l]
            let count = batch * plan.output.count
            switch plan.spec {
            case .conv:
                Convolution(plan: plan, batch: batch).backward(
                    x: x, weight: parameters, dy: dy, dWeight: gradients, dBias: gradients + biasOffset(l), dx: dx, scratch: scratch)
            case .dense:
                Dense(inputs: plan.input.channels, units: plan.output.channels, batch: batch).backward(
                    x: x, weight: parameters, dy: dy, dWeight: gradients, dBias: gradients + biasOffset(l), dx: dx, scratch: scratch)
            case .batchNorm:
                BatchNorm(channels: plan.input.channels, positions: batch * plan.input.height * plan.input.width).backward(
                    x: x, parameters: parameters, dy: dy, saved: ws.savedFloats[l]!, dParameters: gradients, dx: dx, scratch: scratch)
            default:
                guard let dx else { continue }
                switch plan.spec {
                case .relu:
                    reluBackward(y: y, dy: dy, dx: dx, count: count, scratch: scratch)
                case .maxPool:
                    Pooling(plan: plan, batch: batch).maxBackward(x: x, y: y, dy: dy, dx: dx, scratch: scratch)
                case .avgPool:
                    Pooling(plan: plan, batch: batch).averageBackward(dy: dy, dx: dx, scratch: scratch)
                case .globalAvgPool:
                    GlobalPooling(plan: plan, batch: batch).averageBackward(dy: dy, dx: dx, scratch: scratch)
                case .globalMaxPool:
                    GlobalPooling(plan: plan, batch: batch).maxBackward(dy: dy, indices: ws.savedIndices[l]!, dx: dx, scratch: scratch)
                case .blurPool:
                    BlurPool(plan: plan, batch: batch).backward(dy: dy, dx: dx, scratch: scratch)
                case .flatten:
                    if dy != UnsafePointer(dx) { dx.update(from: dy, count: count) }
                case .dropout:
                    dropoutBackward(dy: dy, mask: ws.savedFloats[l]!, dx: dx, count: count)
                case .conv, .dense, .batchNorm:
                    break
                case .activation, .add, .multiply, .concat, .softmax, .affine, .bias:
                    preconditionFailure("Network.init refuses \(plan.spec), which the list engine does not run")
                }
            }
        }
    }

    /// Offset of layer l's bias from its weight (the second parameter entry).
    private func biasOffset(_ l: Int) -> Int { biasOffsets[l] }
}
