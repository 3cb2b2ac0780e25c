/// The zoo's graph models, written as `models[].graph` entries.
extension ModelZoo {
    /// ResNet-20 (He et al. 2016, §4.2, the CIFAR-10 network): a 3×3 stem of 16 filters, three
    /// stages of three basic blocks (two 3×3 convolutions with batch norm) at 16, 32 and 64
    /// filters, the first block of stages 2 and 3 halving the map with stride 2, then `head`.
    /// Where the shape changes the shortcut is a 1×1 projection with stride 2 and batch norm
    /// (He et al.'s option B; their CIFAR runs used option A, zero-padded identity, which has no
    /// parameters: the projections add 512 + 2,048 weights to the 0.27 M). Strided 3×3
    /// convolutions pad 1 on each side, as PyTorch's: ⌊(n − 1)/2⌋ + 1 rows, the same count as
    /// the 1×1 projection's, so the two paths agree at every input size.
    ///
    /// With `head` ["gap"] the model runs at any size; with ["avgpool 8", "flatten"] (the fixed
    /// 8×8 average pool over the last map at 32 px, as exported ResNets bake in a 7×7 pool at
    /// 224 px) it only runs at sizes whose last map is 8×8.
    static func resnet20(head: [String]) -> [GraphEntry] {
        func block(_ filters: Int, downsample: Bool) -> GraphEntry {
            let stride = downsample ? " stride 2 pad 1" : ""
            return .residual(name: nil, body: [.layer("conv 3x3 \(filters)\(stride)"), .layer("bn"), .layer("relu"),
                                               .layer("conv 3x3 \(filters)"), .layer("bn")],
                             shortcut: downsample ? [.layer("conv 1x1 \(filters) stride 2 pad 0"), .layer("bn")] : nil,
                             repeats: 1)
        }
        var entries: [GraphEntry] = [.layer("conv 3x3 16"), .layer("bn"), .layer("relu")]
        for (stage, filters) in [16, 32, 64].enumerated() {
            for index in 0..<3 {
                entries += [block(filters, downsample: stage > 0 && index == 0), .layer("relu")]
            }
        }
        return entries + head.map(GraphEntry.layer)
    }

    /// A MobileNetV2-style network for 32 px images (Sandler et al. 2018): inverted residual
    /// blocks — a 1×1 expansion to t·C channels, a depthwise 3×3 (groups = channels), a linear
    /// 1×1 projection, batch norm after each, ReLU6 after the first two — with the identity
    /// shortcut where stride is 1 and channels are kept. Stages (t, C, n, s): (1, 16, 1, 1),
    /// (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 3, 2), (6, 96, 2, 1); stride 1 stem and first stages
    /// as in the CIFAR adaptations (the ImageNet model's first strides would leave a 1×1 map),
    /// then a 1×1 convolution to 320, global average pooling and the classifier.
    static let mobileNetV2CIFAR: [GraphEntry] = {
        var entries: [GraphEntry] = [.layer("conv 3x3 32"), .layer("bn"), .layer("relu6")]
        var channels = 32
        for (t, c, n, s) in [(1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 3, 2), (6, 96, 2, 1)] {
            for index in 0..<n {
                let stride = index == 0 ? s : 1, hidden = t * channels
                var body: [GraphEntry] = t == 1 ? [] : [.layer("conv 1x1 \(hidden)"), .layer("bn"), .layer("relu6")]
                body += [.layer("conv 3x3 \(hidden) groups \(hidden)" + (stride > 1 ? " stride 2 pad 1" : "")), .layer("bn"), .layer("relu6"),
                         .layer("conv 1x1 \(c)"), .layer("bn")]
                entries += stride == 1 && channels == c
                    ? [.residual(name: nil, body: body, shortcut: nil, repeats: 1)]
                    : body
                channels = c
            }
        }
        return entries + [.layer("conv 1x1 320"), .layer("bn"), .layer("relu6"), .layer("gap")]
    }()
}
