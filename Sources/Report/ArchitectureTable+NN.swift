import NN

extension ArchitectureTable {
    /// The table of a model built from `spec` for `trainResolution` px images and fed
    /// `testResolution` px images (square, `channels` deep), from NN's architecture math.
    ///
    /// Where the network cannot run, the failing layer carries the reason and the layers after it
    /// have no shape: a window larger than its map (NN's shape inference), or a dense layer whose
    /// input size differs from the one it was trained with (flatten ties a model to its training
    /// resolution). Layers are named "#9 maxpool 2" (position in the spec, then its text form);
    /// ReLU and dropout rows are left out: they change no shape and cost no FLOPs worth a row.
    /// Downsampling layers carry what floor and ceil rounding would make of their input (NN's
    /// `roundingWhatIf`), the input being what the layers before produced under the model's rules.
    public init(spec: ModelSpec, channels: Int, trainResolution: Int, testResolution: Int) {
        self.init(trainResolution: trainResolution, testResolution: testResolution, layers: [])
        var breakIndex: Int?
        var breakReason = ""
        var math: [LayerMath] = []
        do {
            math = try spec.architecture(height: testResolution, width: testResolution, channels: channels).layers
        } catch NNError.shapeMismatch(_, let index, let reason) {
            (breakIndex, breakReason) = (index, reason)
            let prefix = ModelSpec(layers: Array(spec.layers[..<index]))
            math = (try? prefix.architecture(height: testResolution, width: testResolution, channels: channels).layers) ?? []
        } catch {
            (breakIndex, breakReason) = (0, "\(error)")
        }
        let trained = try? spec.architecture(height: trainResolution, width: trainResolution, channels: channels).layers
        if breakIndex == nil, let trained {
            for (l, layer) in math.enumerated() {
                guard case .dense = layer.spec, l > 0, math[l - 1].output.count != trained[l - 1].output.count else { continue }
                breakIndex = l
                breakReason = "dense was trained on \(trained[l - 1].output.count) inputs (at \(trainResolution) px) but gets \(math[l - 1].output.count) at \(testResolution) px; flatten ties the model to its training resolution, global average pooling does not."
                math = Array(math[..<l])
                break
            }
        }
        var rows: [LayerRow] = []
        var flat = false
        for (l, layer) in spec.layers.enumerated() {
            if l == breakIndex {
                let previous = rows.last
                let parameters = trained.map { $0.indices.contains(l) ? $0[l].parameters : 0 } ?? 0
                rows.append(LayerRow(layer: "#\(l + 1) \(layer)", outputShape: [], receptiveField: previous?.receptiveField ?? 1,
                                     totalStride: previous?.totalStride ?? 1, flops: 0, parameters: parameters, breaks: breakReason))
                continue
            }
            if case .relu = layer { continue }
            if case .dropout = layer { continue }
            guard l < math.count, breakIndex.map({ l < $0 }) ?? true else {
                let previous = rows.last
                rows.append(LayerRow(layer: "#\(l + 1) \(layer)", outputShape: [], receptiveField: previous?.receptiveField ?? 1,
                                     totalStride: previous?.totalStride ?? 1, flops: 0, parameters: 0))
                continue
            }
            let figures = math[l]
            switch layer {
            case .globalAvgPool, .globalMaxPool, .flatten, .dense: flat = true
            default: break
            }
            let output = figures.output
            let input = l == 0 ? (testResolution, testResolution) : (math[l - 1].output.height, math[l - 1].output.width)
            rows.append(LayerRow(layer: "#\(l + 1) \(layer)",
                                 outputShape: flat ? [output.count] : [output.height, output.width, output.channels],
                                 receptiveField: max(figures.rows.receptiveField, figures.columns.receptiveField),
                                 totalStride: max(figures.rows.jump, figures.columns.jump),
                                 rowsLost: figures.rows.dropped, columnsLost: figures.columns.dropped,
                                 flops: Double(figures.flops), parameters: figures.parameters,
                                 rules: RuleOutcome.all(layer.roundingWhatIf(height: input.0, width: input.1))))
        }
        layers = rows
    }
}

extension RuleOutcome {
    /// The outcomes of NN's what-if, the layer's own rule marked used.
    static func all(_ whatIf: RoundingWhatIf?) -> [RuleOutcome] {
        guard let whatIf else { return [] }
        return whatIf.outcomes.map { outcome in
            let axis = { (window: WindowAxis) in Axis(input: window.input, output: window.output, dropped: window.dropped, padded: window.padAfter) }
            return RuleOutcome(rule: outcome.rule, used: outcome.rule == whatIf.used, rows: axis(outcome.rows), columns: axis(outcome.columns))
        }
    }
}
