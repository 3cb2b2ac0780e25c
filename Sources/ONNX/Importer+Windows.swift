import NN

/// Convolution, pooling, batch norm and the reductions that become global pooling.
extension Importer {
    /// Conv(X, W (F, C/g, kh, kw), B (F)?) → `conv` with weights re-laid out to (kh, kw, C/g, F);
    /// a preceding zero `Pad` is folded into the convolution's padding.
    mutating func convolution(_ context: Context) throws -> Feature {
        let a = context.attributes
        let x = try feature(0, context, allowingPad: true)
        let w = try requiredConstant(1, context)
        guard x.layout == .nchw else { throw context.refuse("its input is not an (N, C, H, W) feature map") }
        guard w.dims.count == 4 else { throw context.refuse("its weight has shape \(w.dims); reslab imports 2-D convolutions, weights (F, C/groups, kh, kw)") }
        let (f, cg, kh, kw) = (w.dims[0], w.dims[1], w.dims[2], w.dims[3])
        let groups = a.int("group", default: 1)
        guard groups >= 1, groups <= x.shape.channels, cg * groups == x.shape.channels, f % groups == 0 else {
            throw context.refuse("its weight (\(f), \(cg), \(kh), \(kw)) with \(groups) groups does not fit the \(x.shape.channels) input channels")
        }
        if let kernel = a.ints("kernel_shape"), kernel != [kh, kw] {
            throw context.refuse("its kernel_shape \(kernel) differs from its weight's \(kh)×\(kw)")
        }
        let stride = try uniform(a.ints("strides") ?? [1, 1], "strides", context)
        let dilation = try uniform(a.ints("dilations") ?? [1, 1], "dilations", context)
        let padding = try windowPadding(context, extra: x.pendingPad)
        let weight = transposed(w, [2, 3, 1, 0]).floats  // (F, C/g, kh, kw) → (kh, kw, C/g, F)
        var bias = [Float](repeating: 0, count: f)
        if let b = try constant(2, context) {
            guard b.count == f else { throw context.refuse("its bias has \(b.count) values for \(f) filters") }
            bias = b.floats
        }
        let spec = ConvSpec(kernelHeight: kh, kernelWidth: kw, filters: f, stride: stride, dilation: dilation,
                            padding: padding, groups: groups)
        var input = x
        input.pendingPad = nil
        return try emit(output(context), .conv(spec), [input], context, parameters: [.weight: weight, .bias: bias])
    }

    /// Pad(x, pads, value?) with zeros on height and width only: kept pending for the Conv that
    /// reads it (a zero border before a convolution is that convolution's padding).
    mutating func pad(_ context: Context) throws -> Feature {
        var x = try feature(0, context)
        let mode = context.attributes.string("mode", default: "constant")
        guard mode == "constant" else { throw context.refuse("its mode is \(mode); reslab folds only zero (constant) padding into a Conv") }
        if let fill = try constant(2, context), fill.floats.contains(where: { $0 != 0 }) {
            throw context.refuse("it pads with \(fill.floats[0]); reslab folds only zero padding into a Conv")
        }
        guard let pads = try integers(1, context), pads.count == 8, x.layout == .nchw else {
            throw context.refuse("reslab imports Pad on (N, C, H, W) maps with 8 pads as its second input")
        }
        guard pads[0] == 0, pads[1] == 0, pads[4] == 0, pads[5] == 0, pads.allSatisfy({ $0 >= 0 }) else {
            throw context.refuse("its pads \(pads) touch the batch or channel axis or are negative; reslab folds only non-negative height/width padding")
        }
        let previous = x.pendingPad ?? [0, 0, 0, 0]
        x.pendingPad = [pads[2] + previous[0], pads[3] + previous[1], pads[6] + previous[2], pads[7] + previous[3]]
        return x
    }

    /// MaxPool / AveragePool with a square window → `maxPool` / `avgPool`.
    mutating func pool(_ context: Context) throws -> Feature {
        let a = context.attributes
        let x = try feature(0, context)
        guard x.layout == .nchw else { throw context.refuse("its input is not an (N, C, H, W) feature map") }
        guard let kernel = a.ints("kernel_shape"), kernel.count == 2 else {
            throw context.refuse("its kernel_shape is \(a.ints("kernel_shape") ?? []); reslab imports 2-D pooling")
        }
        guard kernel[0] == kernel[1], (1...Importer.maxWindow).contains(kernel[0]) else { throw context.refuse("its window is \(kernel[0])×\(kernel[1]); reslab pools with square windows") }
        if context.proto.output.count > 1, !context.proto.output[1].isEmpty {
            throw context.refuse("it also outputs indices; reslab imports MaxPool's values only")
        }
        let stride = try uniform(a.ints("strides") ?? [1, 1], "strides", context)
        guard try uniform(a.ints("dilations") ?? [1, 1], "dilations", context) == 1 else {
            throw context.refuse("it has dilations; reslab pools without dilation")
        }
        let rounding: Rounding = a.int("ceil_mode", default: 0) != 0 ? .ceil : .floor
        let spec = PoolSpec(kernel: kernel[0], stride: stride, padding: try windowPadding(context, extra: nil), rounding: rounding,
                            countIncludePad: context.op == "AveragePool" && a.int("count_include_pad", default: 0) != 0)
        let result = try emit(output(context), context.op == "MaxPool" ? .maxPool(spec) : .avgPool(spec), [x], context)
        if result.shape.isFlat, !x.flatAtEverySize, spec.padding == .valid, spec.kernel == x.shape.height, spec.kernel == x.shape.width {
            pin(result.node, .trainingSizePool, "\(context.op) \"\(result.node)\" has a \(spec.kernel)×\(spec.kernel) window, exactly the \(x.shape.height)×\(x.shape.width) map it gets at the \(referenceSize) input, so it pools the whole map only at that size (AdaptiveAvgPool2d exported with static shapes); at larger inputs it leaves a map instead of one vector.")
        }
        if rounding == .ceil {
            pin(result.node, .ceilPool, "\(context.op) \"\(result.node)\" rounds up (ceil_mode): at input sizes where its \(spec.kernel)×\(spec.kernel) windows with stride \(stride) do not tile the map, the last window overhangs into padding and the map gets one more row and column than floor rounding would give.")
        }
        return result
    }

    /// BatchNormalization(X, scale, B, mean, var) in inference mode → `batchNorm`, with the
    /// model's ε folded into the variance so the engine's fixed ε = 1e-5 gives the same result:
    /// var' = var + ε − 1e-5 (refused where that is not positive).
    mutating func batchNorm(_ context: Context) throws -> Feature {
        let a = context.attributes
        let x = try feature(0, context)
        guard a.int("training_mode", default: 0) == 0 else {
            throw context.refuse("it is in training mode; export the model in evaluation mode (model.eval())")
        }
        let c = x.shape.channels
        var tensors: [[Float]] = []
        for i in 1...4 {
            let t = try requiredConstant(i, context)
            guard t.count == c else { throw context.refuse("its input \(i + 1) has \(t.count) values for \(c) channels") }
            tensors.append(t.floats)
        }
        let epsilon = a.float("epsilon", default: 1e-5)
        let variance = tensors[3].map { $0 + epsilon - BatchNorm.epsilon }
        if let bad = variance.firstIndex(where: { !($0 > 0) }) {
            throw context.refuse("channel \(bad)'s variance \(tensors[3][bad]) with ε = \(epsilon) is not positive after folding into the engine's ε = \(BatchNorm.epsilon); the model's statistics are unusable")
        }
        return try emit(output(context), .batchNorm, [x], context, parameters: [
            .scale: tensors[0], .shift: tensors[1], .runningMean: tensors[2], .runningVariance: variance])
    }

    /// ReduceMean over height and width → global average pooling (keepdims 0 gives (N, C)).
    mutating func reduceMean(_ context: Context) throws -> Feature {
        let a = context.attributes
        let x = try feature(0, context)
        let axes = opset >= 18 ? try integers(1, context) : a.ints("axes")
        let spatial: Set<Int> = x.layout == .nhwc ? [1, 2] : [2, 3]
        guard x.rank == 4, let axes, Set(axes.map { $0 < 0 ? $0 + 4 : $0 }) == spatial else {
            throw context.refuse("it reduces axes \(axes.map { "\($0)" } ?? "all"); reslab imports ReduceMean over height and width only (global average pooling)")
        }
        let keep = a.int("keepdims", default: 1) != 0
        return try emit(output(context), .globalAvgPool, [x], context, layout: keep ? x.layout : .flat)
    }

    /// Softmax over the class scores of flat features.
    mutating func softmax(_ context: Context) throws -> Feature {
        let x = try feature(0, context)
        let axis = context.attributes.int("axis", default: opset >= 13 ? -1 : 1)
        let overChannels = x.layout == .flat ? (axis == 1 || axis == -1)
            : (x.flatAtEverySize && x.layout == .nchw && (axis == 1 || (opset < 13 && axis == -3)))
        guard overChannels, !x.channelMajor else {
            throw context.refuse("it normalises axis \(axis) of a \(x.rank)-D tensor; reslab imports Softmax over the class scores of (N, K) outputs")
        }
        return try emit(output(context), .softmax, [x], context)
    }

    /// The one value of a per-axis attribute (strides, dilations) that must be equal on both axes.
    func uniform(_ values: [Int], _ name: String, _ context: Context) throws -> Int {
        guard values.count == 2, values[0] == values[1], (1...Importer.maxWindow).contains(values[0]) else {
            throw context.refuse("its \(name) are \(values); reslab imports equal \(name) on height and width")
        }
        return values[0]
    }

    /// The window's padding from `auto_pad` and `pads` (plus `extra` from a folded Pad).
    func windowPadding(_ context: Context, extra: [Int]?) throws -> Padding {
        let a = context.attributes
        let autoPad = a.string("auto_pad", default: "NOTSET")
        switch autoPad {
        case "NOTSET":
            var pads = a.ints("pads") ?? [0, 0, 0, 0]
            guard pads.count == 4, pads.allSatisfy({ (0...Importer.maxWindow).contains($0) }) else { throw context.refuse("its pads \(pads) are not 4 non-negative numbers") }
            if let extra { pads = zip(pads, extra).map { $0 + $1 } }
            if pads.allSatisfy({ $0 == pads[0] }) { return pads[0] == 0 ? .valid : .explicit(pads[0]) }
            return .asymmetric(top: pads[0], left: pads[1], bottom: pads[2], right: pads[3])
        case "VALID" where extra == nil: return .valid
        case "SAME_UPPER" where extra == nil: return .same
        default:
            throw context.refuse("its auto_pad is \(autoPad)\(extra == nil ? "" : " after a Pad"); reslab imports NOTSET (explicit pads), VALID and SAME_UPPER")
        }
    }
}
