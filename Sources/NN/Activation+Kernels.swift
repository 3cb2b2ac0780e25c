import Foundation
import Kernels

/// The activations other than ReLU, elementwise over `count` values, parallel over blocks of
/// 1,024 values. Transcendentals (σ, erf, tanh) are evaluated in Double and rounded once.
extension Activation {
    /// y = f(x); in place when x == y (in training only σ and tanh run in place: the others'
    /// backward reads x). A clip runs 16 values at a time (`StoreClamp`, as when fused into the
    /// layer before it); the case is decided once per block, not per value.
    func forward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int, scratch: Scratch) {
        if case let .clip(lower, upper) = self {
            let clamp = StoreClamp(lower: lower, upper: upper)
            forEachRange(count, scratch) { range in
                var i = range.lowerBound
                while i &+ 16 <= range.upperBound {
                    UnsafeMutableRawPointer(y + i).storeBytes(of: clamp(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)),
                                                              as: SIMD16<Float>.self)
                    i &+= 16
                }
                while i < range.upperBound {
                    y[i] = clamp(x[i])
                    i &+= 1
                }
            }
            return
        }
        forEachRange(count, scratch) { range in
            for i in range { y[i] = value(x[i]) }
        }
    }

    /// From `y = f(x)`: dx = dy · f'(x) (σ' = y(1 − y), tanh' = 1 − y², the others from x).
    /// In place when dx == dy.
    func backward(x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                  count: Int, scratch: Scratch) {
        forEachRange(count, scratch) { range in
            for i in range { dx[i] = dy[i] * derivative(x: x[i], y: y[i]) }
        }
    }

    private func forEachRange(_ count: Int, _ scratch: Scratch, _ body: (Range<Int>) -> Void) {
        let blocks = (count + 1023) / 1024
        scratch.forParts(blocks) { _, range in body(range.lowerBound * 1024..<min(count, range.upperBound * 1024)) }
    }

    /// f(x).
    @inline(__always)
    func value(_ x: Float) -> Float {
        switch self {
        case let .clip(lower, upper): return StoreClamp(lower: lower, upper: upper)(x)
        case let .leakyReLU(slope): return x >= 0 ? x : slope * x
        case .sigmoid: return Float(Activation.sigma(Double(x)))
        case let .hardSigmoid(alpha, beta): return min(max(alpha * x + beta, 0), 1)
        case .hardSwish: return x * min(max(x + 3, 0), 6) / 6
        case .silu: return Float(Double(x) * Activation.sigma(Double(x)))
        case .gelu: return Float(0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot())))
        case .tanh: return Float(hyperbolicTangent(Double(x)))
        }
    }

    /// f'(x), with y = f(x). At kinks the derivative of the flat side is used, as PyTorch does:
    /// clip 0 at x = lower or upper, leaky ReLU `slope` at 0, hard-sigmoid 0 at its ends,
    /// hard-swish (2x + 3)/6 on [−3, 3].
    @inline(__always)
    func derivative(x: Float, y: Float) -> Float {
        switch self {
        case let .clip(lower, upper): return x > lower && x < upper ? 1 : 0
        case let .leakyReLU(slope): return x > 0 ? 1 : slope
        case .sigmoid: return y * (1 - y)
        case let .hardSigmoid(alpha, beta):
            let t = alpha * x + beta
            return t > 0 && t < 1 ? alpha : 0
        case .hardSwish: return x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6
        case .silu:
            let s = Activation.sigma(Double(x))
            return Float(s * (1 + Double(x) * (1 - s)))
        case .gelu:
            // Φ(x) + x·φ(x), φ the standard normal density.
            let v = Double(x)
            return Float(0.5 * (1 + erf(v / 2.0.squareRoot())) + v * exp(-0.5 * v * v) / (2 * Double.pi).squareRoot())
        case .tanh: return 1 - y * y
        }
    }

    /// σ(v) = 1 / (1 + e^(−v)), written to avoid overflow of e^(−v) for large negative v.
    @inline(__always)
    static func sigma(_ v: Double) -> Double {
        v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v))
    }
}

/// tanh from the C library (inside `Activation` the name is its case).
private func hyperbolicTangent(_ v: Double) -> Double { tanh(v) }
