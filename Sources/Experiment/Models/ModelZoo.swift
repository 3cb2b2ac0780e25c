/// A model as an experiment file gives it: a layer list (`models[].layers`) or a graph
/// (`models[].graph`, see `GraphEntry`).
public enum ModelArchitecture: Hashable, Sendable {
    case layers([String])
    case graph([GraphEntry])
}

/// The built-in models, in the syntax of `models[].layers` and `models[].graph`; NN appends the
/// final `dense <classes>` when a model does not end in one.
public enum ModelZoo {
    /// Name → model, in the order `--help` lists them.
    static let entries: [(name: String, model: ModelArchitecture)] = [
        // Flatten + dense: the classifier's input size ties the model to its training resolution.
        ("flat-cnn", .layers(["conv 3x3 16", "relu", "maxpool 2", "conv 3x3 32", "relu", "maxpool 2",
                              "flatten"])),
        // Global average pooling: runs at any resolution of at least 4 px.
        ("gap-cnn", .layers(["conv 3x3 16", "relu", "maxpool 2", "conv 3x3 32", "relu", "maxpool 2",
                             "conv 3x3 32", "relu", "gap"])),
        // The GAP model with BlurPool (Zhang 2019) in place of max pooling: blur, then subsample.
        ("blurpool-cnn", .layers(["conv 3x3 16", "relu", "blurpool 2", "conv 3x3 32", "relu", "blurpool 2",
                                  "conv 3x3 32", "relu", "gap"])),
        // MNIST and CIFAR-10 sized: three conv blocks with batch norm, then GAP.
        ("small-cnn", .layers(["conv 3x3 32", "bn", "relu", "conv 3x3 32", "bn", "relu", "maxpool 2",
                               "conv 3x3 64", "bn", "relu", "conv 3x3 64", "bn", "relu", "maxpool 2",
                               "conv 3x3 128", "bn", "relu", "conv 3x3 128", "bn", "relu", "maxpool 2",
                               "gap"])),
        // Imagenette at 128 px: a strided stem, then four conv blocks, then GAP.
        ("imagenette-cnn", .layers(["conv 3x3 32 stride 2", "bn", "relu",
                                    "conv 3x3 64", "bn", "relu", "maxpool 2",
                                    "conv 3x3 128", "bn", "relu", "maxpool 2",
                                    "conv 3x3 192", "bn", "relu", "maxpool 2",
                                    "conv 3x3 256", "bn", "relu", "gap"])),
        ("resnet-20", .graph(ModelZoo.resnet20(head: ["gap"]))),
        ("resnet-20-avgpool8", .graph(ModelZoo.resnet20(head: ["avgpool 8", "flatten"]))),
        ("mobilenetv2-cifar", .graph(ModelZoo.mobileNetV2CIFAR)),
    ]

    public static var names: [String] { entries.map(\.name) }

    public static func model(_ name: String) -> ModelArchitecture? {
        entries.first { $0.name == name }?.model
    }

    /// The layers of a list model of the zoo (nil for graphs and unknown names).
    public static func layers(_ name: String) -> [String]? {
        if case let .layers(layers)? = model(name) { return layers }
        return nil
    }
}
