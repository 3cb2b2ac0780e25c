import NN

/// One entry of `models:` — a zoo model by name, or a layer list.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Names the model in results and the report; defaults to the zoo name.
    public var name: String
    /// A model of the built-in zoo (`reslab run --help` and docs/experiments.md list them).
    public var zoo: String?
    /// Layers, one per entry, in NN's text form (`conv 3x3 32`, `relu`, `maxpool 2`, `bn`, `gap`,
    /// `blurpool 2`, `flatten`, `dense 10`). `dense classes` takes the class count; without a
    /// final dense layer one is added.
    public var layers: [String]?
    /// How pooling and strided convolutions round an odd input size: `floor` drops the last
    /// partial window (30 → 15 → 7 loses a row), `ceil` keeps it as a padded window.
    public var rounding: Rounding = .floor

    enum CodingKeys: String, CodingKey, CaseIterable { case name, zoo, layers, rounding }

    public init(name: String, zoo: String? = nil, layers: [String]? = nil, rounding: Rounding = .floor) {
        self.name = name
        self.zoo = zoo
        self.layers = layers
        self.rounding = rounding
    }

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        zoo = f.optional(.zoo)
        layers = f.optional(.layers)
        let roundingText: String? = f.optional(.rounding)
        rounding = roundingText.flatMap(Rounding.init(rawValue:)) ?? .floor
        if let roundingText { f.check(Rounding(rawValue: roundingText) != nil, .rounding, "`\(roundingText)` is not one of floor, ceil.") }
        name = f.optional(.name) ?? zoo ?? ""
        if f.contains(.zoo) == f.contains(.layers) {
            f.problem("give either `zoo:` (one of \(ModelZoo.names.joined(separator: ", "))) or `layers:`, not \(f.contains(.zoo) ? "both" : "neither").")
        }
        if let zoo { f.check(ModelZoo.layers(zoo) != nil, .zoo, "`\(zoo)` is not in the zoo; use one of \(ModelZoo.names.joined(separator: ", ")).") }
        f.check(!name.isEmpty, .name, "give the model a name.")
        if let layers {
            f.check(!layers.isEmpty, .layers, "list at least one layer.")
            for (index, line) in layers.enumerated() {
                do { _ = try LayerSpec(parsing: line.replacingOccurrences(of: "classes", with: "2")) } catch {
                    f.problem(at: .layers, index, "\(error)")
                }
            }
        }
    }

    /// The layer list, resolved from the zoo when needed.
    public var resolvedLayers: [String] { layers ?? zoo.flatMap(ModelZoo.layers) ?? [] }
}
