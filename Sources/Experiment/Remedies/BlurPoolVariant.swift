import NN

/// Why a model has no BlurPool variant: one sentence naming the node.
struct BlurPoolVariantError: Error, Equatable {
    var message: String
}

extension ModelConfig {
    /// The model's BlurPool variant (`blurPoolVariant`), as a layer list or a graph like the
    /// model; nil when the variant is the model itself (nothing to antialias). Throws
    /// `BlurPoolVariantError` for a graph whose named node (`{name:, layer:, inputs:}`)
    /// downsamples: other nodes may read it by name, so where its blur goes is not defined.
    func withBlurPool() throws -> ModelConfig? {
        switch architecture {
        case let .layers(layers):
            let variant = try blurPoolVariant(layers)
            return variant == layers ? nil : ModelConfig(name: name, layers: variant, rounding: rounding)
        case let .graph(entries):
            let variant = try blurPoolVariant(entries, model: name)
            return variant == entries ? nil : ModelConfig(name: name, graph: variant, rounding: rounding)
        }
    }
}

/// `blurPoolVariant(_:model:)` of a layer list.
func blurPoolVariant(_ layers: [String]) throws -> [String] {
    try blurPoolVariant(layers.map(GraphEntry.layer), model: "").map { entry in
        guard case let .layer(text) = entry else { preconditionFailure("a layer list stays a layer list") }
        return text
    }
}

/// The model's BlurPool variant (Zhang 2019, "Making convolutional networks shift-invariant
/// again", and his antialiased ResNets and MobileNetV2), applied to every list of layers: the
/// model's, and each residual block's main path and shortcut on their own.
/// - `maxpool k stride s` → `maxpool k stride 1`, `blurpool s` (MaxBlurPool);
/// - `avgpool k stride s` → `blurpool s` (the blur already averages);
/// - a k×k convolution with stride s > 1 (k > 1) runs at stride 1 and is followed, after the
///   batch norm and activation that follow it, by `blurpool s` (ConvBlurPool);
/// - a 1×1 convolution with stride s > 1 (a projection shortcut) → `blurpool s`, then the
///   convolution at stride 1 (Zhang's `downsample`: the blur first, at a quarter of the cost).
/// The blur has 4 taps, the paper's default, and gives ⌈n / s⌉ rows, as a stride-s convolution
/// padded to "same" does, so a block's two paths still agree. Other entries are kept as written.
func blurPoolVariant(_ entries: [GraphEntry], model: String) throws -> [GraphEntry] {
    var out: [GraphEntry] = []
    var pendingBlur: Int?
    func blurNow() {
        if let stride = pendingBlur { out.append(.layer("blurpool \(stride)")) }
        pendingBlur = nil
    }
    for entry in entries {
        switch entry {
        case let .layer(line):
            let layer = try LayerSpec(experimentLine: line)
            switch layer {
            case .batchNorm, .relu, .activation: break
            default: blurNow()
            }
            switch layer {
            case var .maxPool(spec) where spec.stride > 1:
                let stride = spec.stride
                spec.stride = 1
                out += [.layer(LayerSpec.maxPool(spec).description), .layer("blurpool \(stride)")]
            case let .avgPool(spec) where spec.stride > 1:
                out.append(.layer("blurpool \(spec.stride)"))
            case var .conv(spec) where spec.stride > 1 && spec.kernelHeight == 1 && spec.kernelWidth == 1:
                let stride = spec.stride
                spec.stride = 1
                out += [.layer("blurpool \(stride)"), .layer(LayerSpec.conv(spec).description)]
            case var .conv(spec) where spec.stride > 1:
                pendingBlur = spec.stride
                spec.stride = 1
                out.append(.layer(LayerSpec.conv(spec).description))
            default:
                out.append(entry)
            }
        case let .residual(name, body, shortcut, repeats):
            blurNow()
            out.append(.residual(name: name, body: try blurPoolVariant(body, model: model),
                                 shortcut: try shortcut.map { try blurPoolVariant($0, model: model) }, repeats: repeats))
        case let .node(name, line, _):
            blurNow()
            let layer = try LayerSpec(experimentLine: line)
            let strided = switch layer {
            case let .conv(spec): spec.stride > 1
            case let .maxPool(spec), let .avgPool(spec): spec.stride > 1
            default: false
            }
            if strided {
                throw BlurPoolVariantError(message: "\(model)'s \(name.map { "node \"\($0)\"" } ?? "node") (`\(line)`) downsamples and is written as a named node, "
                    + "which other nodes may read by name, so the BlurPool variant is not defined for it; write it as a plain layer or inside a `residual:` block")
            }
            out.append(entry)
        }
    }
    blurNow()
    return out
}
