import SeededRandom
extension ModelSpec {
    /// The parameter tensors of every layer, placed at `plans` (shapes from the training size).
    /// Weights are (kh, kw, C, F) for convolutions and (K, U) for dense layers, each followed by
    /// its bias; batch norm holds scale, shift, running mean and running variance (C each).
    func parameterEntries(_ plans: [LayerPlan]) -> [ParameterEntry] {
        var entries: [ParameterEntry] = []
        var offset = 0
        for (index, plan) in plans.enumerated() {
            func add(_ suffix: String, _ shape: [Int], _ role: ParameterEntry.Role) {
                let entry = ParameterEntry(name: "\(index + 1).\(plan.spec).\(suffix)", shape: shape, offset: offset, role: role)
                entries.append(entry)
                offset += entry.count
            }
            switch plan.spec {
            case let .conv(spec):
                add("weight", [spec.kernelHeight, spec.kernelWidth, plan.input.channels, spec.filters], .weight)
                add("bias", [spec.filters], .bias)
            case let .dense(units):
                add("weight", [plan.input.channels, units], .weight)
                add("bias", [units], .bias)
            case .batchNorm:
                for (suffix, role) in [("scale", ParameterEntry.Role.scale), ("shift", .shift),
                                       ("runningMean", .runningMean), ("runningVariance", .runningVariance)] {
                    add(suffix, [plan.input.channels], role)
                }
            default:
                break
            }
            // A layer's tensors are consecutive (batch norm reads γ, β, μ, σ² as one block of 4C);
            // each layer starts on a 64-byte boundary.
            offset = (offset + 15) / 16 * 16
        }
        return entries
    }
}

extension ParameterArena {
    /// Initialises every tensor from one generator, in entry order:
    /// - convolution weights: He uniform (He et al. 2015), U(−√(6/fanIn), √(6/fanIn)),
    ///   fanIn = kh·kw·C: the variance 2/fanIn of He's normal, drawn without transcendental
    ///   functions so the same seed gives bit-identical weights on every machine;
    /// - dense weights: Glorot uniform (Glorot & Bengio 2010), U(−√(6/(fanIn + fanOut)), …);
    /// - biases and batch-norm shifts and running means 0; scales and running variances 1.
    func initialize(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for entry in entries {
            let values = self.values + entry.offset
            switch entry.role {
            case .weight:
                let fanIn = entry.shape.dropLast().reduce(1, *), fanOut = entry.shape.last!
                let isDense = entry.shape.count == 2
                let limit = isDense ? (6 / Float(fanIn + fanOut)).squareRoot() : (6 / Float(fanIn)).squareRoot()
                for i in 0..<entry.count { values[i] = generator.uniform(limit: limit) }
            case .bias, .shift, .runningMean:
                values.update(repeating: 0, count: entry.count)
            case .scale, .runningVariance:
                values.update(repeating: 1, count: entry.count)
            }
        }
    }
}
