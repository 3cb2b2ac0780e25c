/// A model as data: a list of layers, e.g. parsed from
/// `conv 3x3 32, relu, maxpool 2, conv 3x3 64, relu, maxpool 2, gap, dense 10`.
/// Encoded (Codable) as an array of layer strings.
public struct ModelSpec: Equatable, Sendable, Codable, CustomStringConvertible {
    public var layers: [LayerSpec]

    public init(layers: [LayerSpec]) { self.layers = layers }

    /// Parses one description per element (see `LayerSpec(parsing:)`).
    public init(parsing lines: [String]) throws {
        layers = try lines.map { try LayerSpec(parsing: $0.trimmingCharacters(in: " \t")) }
    }

    /// Parses a comma-separated list, optionally in square brackets.
    public init(parsing text: String) throws {
        let inner = text.trimmingCharacters(in: " \t\n[]")
        try self.init(parsing: inner.split(separator: ",").map(String.init))
    }

    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode([String].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(layers.map(\.description))
    }

    public var description: String { layers.map(\.description).joined(separator: ", ") }

    /// The same model with `rounding` on every pooling layer and strided convolution.
    public func withRounding(_ rounding: Rounding) -> ModelSpec {
        ModelSpec(layers: layers.map { $0.withRounding(rounding) })
    }

    /// The reference CNN of the benchmarks: three conv 3×3 (32, 64, 128) + ReLU + maxpool 2
    /// blocks, global average pooling, dense to the classes.
    public static func referenceCNN(classes: Int = 10) -> ModelSpec {
        var layers: [LayerSpec] = []
        for filters in [32, 64, 128] {
            layers += [.conv(ConvSpec(kernelHeight: 3, kernelWidth: 3, filters: filters)), .relu, .maxPool(PoolSpec(kernel: 2))]
        }
        return ModelSpec(layers: layers + [.globalAvgPool, .dense(units: classes)])
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
