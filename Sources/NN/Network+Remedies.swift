/// Post-training remedies that change a trained network's state but not its architecture:
/// batch-norm recalibration at a new input size, and the parameter subset FixRes fine-tunes.
/// Both go through `parameterValues`-level state only (the arena and one training-mode
/// forward), so they survive a rewrite of the executor unchanged in behaviour; the tests in
/// `RemedyTests` pin that behaviour through the public API.
extension Network {
    /// Re-estimates every batch-norm layer's running mean and variance from `images`
    /// (N, H, W, C) at their size, with forward passes only (no labels, no gradients, no
    /// weight change): the "BN recalibration" of Touvron et al. (2019, FixRes §3) and of timm.
    ///
    /// The images run through the network in training mode, `batchSize` at a time (so each
    /// batch-norm layer normalises with its batch's statistics, as in training); each layer's
    /// statistics are then **accumulated cumulatively over all N images** instead of by the
    /// exponential momentum training uses: with chunk k holding M_k = n_k·H_l·W_l positions,
    /// mean μ_k and biased variance v_k per channel,
    ///
    ///     running mean     = Σ M_k μ_k / M                                  (M = Σ M_k)
    ///     running variance = (Σ M_k (v_k + μ_k²) / M − mean²) · M / (M − 1)
    ///
    /// i.e. the mean and unbiased variance of the layer's input over all N·H_l·W_l positions,
    /// whatever the chunking (exactly so for the first batch-norm layer; deeper layers see inputs
    /// normalised per chunk, as in PyTorch's and timm's recalibration). Momentum would weight the
    /// last batches most and depend on their order; a cumulative average weights every image once.
    /// Accumulation is in Double. Dropout layers stay active (PyTorch's `model.train()`); the
    /// dropout generator is restored afterwards, so the call leaves no other trace.
    ///
    /// Each chunk's statistics are read back from the layer's own running-statistics update with
    /// the running values zeroed first: running = momentum · batch statistic (one rounding), so
    /// batch statistic = running / momentum to within 2 ulp.
    public func recalibrateBatchNorm(images: Tensor, batchSize: Int) throws {
        let (count, height, width) = try checkInputs(images)
        guard batchSize >= 1 else {
            throw NNError.badTensor(reason: "Batch-norm recalibration needs a batch size of at least 1, not \(batchSize).")
        }
        let ws = try trainingWorkspace(batch: min(batchSize, count), height: height, width: width)
        // (layer, channels, offset of running mean, offset of running variance)
        let layers: [(layer: Int, channels: Int, mean: Int, variance: Int)] = ws.plans.indices.compactMap { l in
            guard ws.plans[l].spec == .batchNorm else { return nil }
            let c = ws.plans[l].input.channels, start = parameterOffsets[l]
            return (l, c, start + 2 * c, start + 3 * c)
        }
        guard !layers.isEmpty else { return }
        var sums = layers.map { [Double](repeating: 0, count: 2 * $0.channels) }
        var positions = [Double](repeating: 0, count: layers.count)
        let savedGenerator = dropoutGenerator
        defer { dropoutGenerator = savedGenerator }
        let imageSize = height * width * inputChannels
        let momentum = Double(BatchNorm.momentum)
        try images.values.withUnsafeBufferPointer { x in
            for first in stride(from: 0, to: count, by: ws.capacity) {
                let size = min(ws.capacity, count - first)
                for entry in layers {
                    arena.values.advanced(by: entry.mean).update(repeating: 0, count: entry.channels)
                    arena.values.advanced(by: entry.variance).update(repeating: 0, count: entry.channels)
                }
                forward(x.baseAddress! + first * imageSize, batch: size, workspace: ws)
                for (j, entry) in layers.enumerated() {
                    let input = ws.plans[entry.layer].input
                    let m = Double(size * input.height * input.width)
                    guard m > 1 else {
                        throw NNError.badTensor(reason: "Batch-norm layer \(entry.layer + 1) sees a single value per channel in a chunk of \(size) images at \(height)×\(width); recalibrate with a larger batch.")
                    }
                    for k in 0..<entry.channels {
                        let mean = Double(arena.values[entry.mean + k]) / momentum
                        let biased = Double(arena.values[entry.variance + k]) / momentum * (m - 1) / m
                        sums[j][k] += m * mean
                        sums[j][entry.channels + k] += m * (biased + mean * mean)
                    }
                    positions[j] += m
                }
            }
        }
        for (j, entry) in layers.enumerated() {
            let m = positions[j]
            for k in 0..<entry.channels {
                let mean = sums[j][k] / m
                let biased = max(0, sums[j][entry.channels + k] / m - mean * mean)
                arena.values[entry.mean + k] = Float(mean)
                arena.values[entry.variance + k] = Float(biased * m / (m - 1))
            }
        }
    }

    /// The parameters FixRes fine-tunes (Touvron et al. 2019, §4): the classifier (the last
    /// dense node's weight and bias) and every batch-norm node's scale and shift, as positions
    /// in `parameters`, found by the nodes' place in the graph and their kind, never by name.
    /// Everything else — convolution weights and biases, earlier dense layers, affine and bias
    /// nodes — stays frozen; batch-norm running statistics are state, which training mode
    /// updates anyway.
    public var classifierAndBatchNormParameters: Set<Int> {
        let lastDense = graph.nodes.lastIndex { if case .dense = $0.layer { return true } else { return false } }
        let classifier = lastDense.map { Array(nodeEntries[$0]) } ?? []
        let batchNorms = graph.nodes.indices.filter { graph.nodes[$0].layer == .batchNorm }.flatMap { nodeEntries[$0] }
        return Set((classifier + batchNorms).filter { arena.entries[$0].role.isTrainable })
    }
}

extension Network {
    /// A copy of this network with floor ↔ ceil swapped in the nodes that lose rows or columns to
    /// their rule at `height`×`width`, and in the nodes a merge needs swapped with them
    /// (`GraphSpec.swappingRounding`), holding bit-identical parameter values (weights and
    /// running statistics); this network is not changed. `swap.swapped` is empty when no node
    /// loses anything at that size. Throws the swap's sentence when it is not defined there, and
    /// one when it changes a parameter's shape (a flatten model whose dense input size depends on
    /// the rule at the training size).
    public func swappingRounding(height: Int, width: Int) throws -> (network: Network, swap: RoundingSwap) {
        let swap = try graph.swappingRounding(height: height, width: width, channels: inputChannels)
        let copy = try Network(graph: swap.graph, inputChannels: inputChannels, classes: classes,
                               trainingHeight: trainingHeight, trainingWidth: trainingWidth, seed: 0)
        guard copy.parameters.map(\.shape) == parameters.map(\.shape) else {
            throw NNError.invalidLayer(layer: swap.swappedNodes.map { "\(graph.nodes[$0].layer)" }.joined(separator: ", "), reason:
                "swapping its rounding rule changes the parameter shapes at the training size \(trainingHeight)×\(trainingWidth), so the trained weights do not fit the swapped model")
        }
        copy.parameterValues = parameterValues
        return (copy, swap)
    }
}
