/// The range a layer's store clamps its outputs to: the activation after the layer, fused into
/// it so that its output is written once (ReLU: [0, ∞); ReLU6, ONNX's `Clip(0, 6)`: [0, 6];
/// none: (−∞, ∞)).
///
///     y = upper   where v > upper
///         lower   where v < lower
///         v       elsewhere (−0 and NaN pass unchanged)
///
/// The one definition of a clip: the unfused activation (`Activation.clip`) applies it too.
public struct StoreClamp: Equatable, Sendable {
    public var lower: Float
    public var upper: Float

    public init(lower: Float = -.infinity, upper: Float = .infinity) {
        self.lower = lower
        self.upper = upper
    }

    public static let none = StoreClamp()
    public static let relu = StoreClamp(lower: 0)

    /// Nothing is clamped.
    public var isNone: Bool { self == .none }

    /// One overload per vector type, not one generic method: a generic one, even `@inlinable`,
    /// was not specialized where NN calls it and ran MobileNetV2 10× slower (9.9 against 95 img/s).
    @inlinable @inline(__always)
    public func callAsFunction(_ value: SIMD16<Float>) -> SIMD16<Float> {
        var value = value
        if lower > -.infinity { value.replace(with: lower, where: value .< lower) }
        if upper < .infinity { value.replace(with: upper, where: value .> upper) }
        return value
    }

    @inlinable @inline(__always)
    public func callAsFunction(_ value: SIMD8<Float>) -> SIMD8<Float> {
        var value = value
        if lower > -.infinity { value.replace(with: lower, where: value .< lower) }
        if upper < .infinity { value.replace(with: upper, where: value .> upper) }
        return value
    }

    @inlinable @inline(__always)
    public func callAsFunction(_ value: Float) -> Float {
        value < lower ? lower : value > upper ? upper : value
    }
}
