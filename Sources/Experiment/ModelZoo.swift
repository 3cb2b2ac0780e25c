/// The built-in models, as layer lists (the syntax of `models[].layers`); NN appends the final
/// `dense <classes>`.
public enum ModelZoo {
    /// Name → layers, in the order `--help` lists them.
    static let entries: [(name: String, layers: [String])] = [
        // Flatten + dense: the classifier's input size ties the model to its training resolution.
        ("flat-cnn", ["conv 3x3 16", "relu", "maxpool 2", "conv 3x3 32", "relu", "maxpool 2",
                      "flatten"]),
        // Global average pooling: runs at any resolution of at least 4 px.
        ("gap-cnn", ["conv 3x3 16", "relu", "maxpool 2", "conv 3x3 32", "relu", "maxpool 2",
                     "conv 3x3 32", "relu", "gap"]),
        // The GAP model with BlurPool (Zhang 2019) in place of max pooling: blur, then subsample.
        ("blurpool-cnn", ["conv 3x3 16", "relu", "blurpool 2", "conv 3x3 32", "relu", "blurpool 2",
                          "conv 3x3 32", "relu", "gap"]),
        // MNIST and CIFAR-10 sized: three conv blocks with batch norm, then GAP.
        ("small-cnn", ["conv 3x3 32", "bn", "relu", "conv 3x3 32", "bn", "relu", "maxpool 2",
                       "conv 3x3 64", "bn", "relu", "conv 3x3 64", "bn", "relu", "maxpool 2",
                       "conv 3x3 128", "bn", "relu", "conv 3x3 128", "bn", "relu", "maxpool 2",
                       "gap"]),
        // Imagenette at 128 px: a strided stem, then four conv blocks, then GAP.
        ("imagenette-cnn", ["conv 3x3 32 stride 2", "bn", "relu",
                            "conv 3x3 64", "bn", "relu", "maxpool 2",
                            "conv 3x3 128", "bn", "relu", "maxpool 2",
                            "conv 3x3 192", "bn", "relu", "maxpool 2",
                            "conv 3x3 256", "bn", "relu", "gap"]),
    ]

    public static var names: [String] { entries.map(\.name) }

    public static func layers(_ name: String) -> [String]? {
        entries.first { $0.name == name }?.layers
    }
}
