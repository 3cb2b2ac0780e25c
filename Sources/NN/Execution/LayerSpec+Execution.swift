import Kernels

/// What the executor needs to know about each operation to lay out its buffers (ggml's
/// `ggml_op_can_inplace`, plus what backward reads): decided here once per layer kind.
extension LayerSpec {
    /// The backward pass reads the layer's inputs x (so they must be kept from the forward pass).
    var backwardReadsInputs: Bool {
        switch self {
        case .conv, .dense, .batchNorm, .maxPool, .multiply, .affine: return true
        case let .activation(kind): return !kind.backwardNeedsOnlyOutput
        case .relu, .avgPool, .globalAvgPool, .globalMaxPool, .blurPool, .flatten, .dropout, .add, .concat, .softmax, .bias:
            return false
        }
    }

    /// The backward pass reads the layer's output y.
    var backwardReadsOutput: Bool {
        switch self {
        case .relu, .maxPool, .softmax: return true
        case let .activation(kind): return kind.backwardNeedsOnlyOutput
        default: return false
        }
    }

    /// A convolution of any kind (grouped, depthwise, dilated): what a batch norm can be folded into.
    var isConvolution: Bool {
        if case .conv = self { true } else { false }
    }

    /// The forward pass may write y over its first input x (elementwise, y[i] from x[i] only, or a
    /// reinterpretation such as flatten): the executor then gives both one buffer when nothing
    /// else reads x afterwards. In training not an activation whose backward reads x; in an
    /// evaluation, with no backward pass, every activation.
    func mayRunInPlace(training: Bool) -> Bool {
        switch self {
        case .relu, .flatten, .dropout, .add, .softmax, .bias: return true
        case let .activation(kind): return !training || kind.backwardNeedsOnlyOutput
        default: return false
        }
    }

    /// The clamp a convolution or batch norm applies in its store when this layer reads it in
    /// place and is fused into it (`ExecutionSchedule.storeClamps`): a ReLU always (its backward
    /// reads only y), a clip (ReLU6) in an evaluation (in training its backward reads x, which
    /// the fused store never writes); nil for anything else.
    func fusedClamp(training: Bool) -> StoreClamp? {
        switch self {
        case .relu: return .relu
        case let .activation(.clip(lower, upper)) where !training: return StoreClamp(lower: lower, upper: upper)
        default: return nil
        }
    }

    /// The backward pass may write dx (of the first input) over dy: dx[i] depends on dy[i] alone,
    /// read before dx[i] is written (softmax first reduces dy·y per image, then writes).
    var mayBackpropagateInPlace: Bool {
        switch self {
        case .relu, .flatten, .dropout, .activation, .add, .softmax, .affine, .bias: return true
        default: return false
        }
    }
}

extension Activation {
    /// σ and tanh have derivatives in terms of their output (σ' = y(1 − y), tanh' = 1 − y²);
    /// the others are differentiated from their input.
    var backwardNeedsOnlyOutput: Bool {
        switch self {
        case .sigmoid, .tanh: return true
        default: return false
        }
    }
}
