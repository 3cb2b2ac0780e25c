import NN

/// Add, Sub, Mul, Div and Concat: between feature maps they become engine merges; with a
/// constant they become a per-channel `affine` (or a positional `bias`); between constants
/// they are folded.
extension Importer {
    mutating func binary(_ context: Context) throws -> ImportedValue {
        guard let left = context.input(0), let right = context.input(1) else { throw context.refuse("it needs two inputs") }
        switch (try value(left, context), try value(right, context)) {
        case let (.feature(a), .feature(b)): return .feature(try featurePair(a, b, context))
        case let (.feature(x), .constant(c)): return .feature(try withConstant(x, c, constantFirst: false, context))
        case let (.constant(c), .feature(x)): return .feature(try withConstant(x, c, constantFirst: true, context))
        case let (.constant(a), .constant(b)): return .constant(try fold(a, b, context))
        default: throw context.refuse("it does arithmetic on a shape; reslab folds only Shape → Gather → Unsqueeze → Concat chains")
        }
    }

    /// x ∘ y for two feature maps: Add → `add`, Mul → `multiply`, Sub → `add` of x and −1·y.
    /// The full-size operand goes first, so a (1, 1, C) operand is the one broadcast.
    private mutating func featurePair(_ a: Feature, _ b: Feature, _ context: Context) throws -> Feature {
        guard a.layout == b.layout, a.channelMajor == b.channelMajor else {
            throw context.refuse("its inputs have different layouts (\(a.rank)-D and \(b.rank)-D); reslab combines maps of one layout, or a map with a (N, C, 1, 1) vector")
        }
        var (first, second) = a.shape.isFlat && !b.shape.isFlat ? (b, a) : (a, b)
        switch context.op {
        case "Add": return try emit(output(context), .add, [first, second], context)
        case "Mul": return try emit(output(context), .multiply, [first, second], context)
        case "Sub":
            let negated = try emit(output(context) + "/negated", .affine, [b], context, parameters: [
                .scale: [Float](repeating: -1, count: b.shape.channels), .shift: [Float](repeating: 0, count: b.shape.channels)])
            (first, second) = a.shape.isFlat && !b.shape.isFlat ? (negated, a) : (a, negated)
            return try emit(output(context), .add, [first, second], context)
        default:
            throw context.refuse("it divides one feature map by another; reslab imports Div by constants only")
        }
    }

    /// x ∘ c (or c ∘ x): a per-channel c becomes `affine` y = γ·x + β; a (1, C or 1, H, W) c
    /// added to a map becomes `bias(H, W)`, which ties the model to that map size.
    private mutating func withConstant(_ x: Feature, _ c: ConstantTensor, constantFirst: Bool, _ context: Context) throws -> Feature {
        let channels = x.shape.channels
        if let v = perChannel(c, for: x) {
            let ones = [Float](repeating: 1, count: channels), zeros = [Float](repeating: 0, count: channels)
            let (scale, shift): ([Float], [Float])
            switch (context.op, constantFirst) {
            case ("Add", _): (scale, shift) = (ones, v)
            case ("Mul", _): (scale, shift) = (v, zeros)
            case ("Sub", false): (scale, shift) = (ones, v.map { -$0 })
            case ("Sub", true): (scale, shift) = (ones.map { -$0 }, v)
            case ("Div", false): (scale, shift) = (v.map { 1 / $0 }, zeros)
            default: throw context.refuse("it divides a constant by a feature map; reslab imports Div by constants only")
            }
            return try emit(output(context), .affine, [x], context, parameters: [.scale: scale, .shift: shift])
        }
        let dims = [Int](repeating: 1, count: max(0, 4 - c.dims.count)) + c.dims
        let (h, w) = (x.shape.height, x.shape.width)
        guard x.layout == .nchw, dims.count == 4, dims[0] == 1, dims[1] == 1 || dims[1] == channels, dims[2] == h, dims[3] == w,
              context.op == "Add" || (context.op == "Sub" && !constantFirst) else {
            throw context.refuse("its constant has shape \(c.dims) against a \(x.rank)-D input of shape \(x.dims); reslab imports a per-channel constant (a scalar or one value per channel) or, for Add and Sub, a (1, C, H, W) term")
        }
        let source = c.floats, sign: Float = context.op == "Sub" ? -1 : 1
        var term = [Float](repeating: 0, count: h * w * channels)
        // (1, C, H, W) or (1, 1, H, W) → (H, W, C)
        for ch in 0..<channels { for i in 0..<h { for j in 0..<w {
            term[(i * w + j) * channels + ch] = sign * source[((dims[1] == 1 ? 0 : ch) * h + i) * w + j]
        } } }
        let result = try emit(output(context), .bias(height: h, width: w), [x], context, parameters: [.bias: term])
        pin(result.node, .positionTerm, "\(context.op) \"\(result.node)\" adds a constant \(h)×\(w) term to the feature map (a fixed position embedding), which fits only the \(h)×\(w) map of the \(referenceSize) input.")
        return result
    }

    /// The constant as one value per channel of `x` (a scalar repeated), or nil when it varies
    /// along other axes.
    private func perChannel(_ c: ConstantTensor, for x: Feature) -> [Float]? {
        guard c.dims.count <= x.rank else { return nil }
        let dims = [Int](repeating: 1, count: x.rank - c.dims.count) + c.dims
        let channels = x.shape.channels
        if c.count == 1 { return [Float](repeating: c.floats[0], count: channels) }
        guard !x.channelMajor, dims[x.channelAxis] == channels,
              dims.enumerated().allSatisfy({ $0.offset == x.channelAxis || $0.element == 1 }) else { return nil }
        return c.floats
    }

    /// a ∘ b for two constants of one shape (or one a scalar): integer arithmetic on integers.
    private func fold(_ a: ConstantTensor, _ b: ConstantTensor, _ context: Context) throws -> ConstantTensor {
        guard a.dims == b.dims || a.count == 1 || b.count == 1 else {
            throw context.refuse("it combines constants of shapes \(a.dims) and \(b.dims); reslab folds constants of one shape or with a scalar")
        }
        let dims = a.count >= b.count ? a.dims : b.dims, n = max(a.count, b.count)
        if let x = a.ints, let y = b.ints {
            let op: (Int, Int) -> Int = switch context.op { case "Add": (+) case "Sub": (-) case "Mul": (*) default: { $1 == 0 ? 0 : $0 / $1 } }
            return ConstantTensor(dims: dims, values: .ints((0..<n).map { Int64(op(x[a.count == 1 ? 0 : $0], y[b.count == 1 ? 0 : $0])) }))
        }
        let x = a.floats, y = b.floats
        let op: (Float, Float) -> Float = switch context.op { case "Add": (+) case "Sub": (-) case "Mul": (*) default: (/) }
        return ConstantTensor(dims: dims, values: .floats((0..<n).map { op(x[a.count == 1 ? 0 : $0], y[b.count == 1 ? 0 : $0]) }))
    }

    /// Concat of feature maps along channels → `concat`; of shape pieces → a longer shape.
    mutating func concat(_ context: Context) throws -> ImportedValue {
        let inputs = try context.proto.input.filter { !$0.isEmpty }.map { try value($0, context) }
        let axis = context.attributes.int("axis", default: 1)
        let features = inputs.compactMap { if case let .feature(f) = $0 { return f } else { return nil } }
        if features.isEmpty {
            var dims: [SymbolicDim] = [], allConstant = true
            for input in inputs {
                switch input {
                case let .shape(d, _): dims += d; allConstant = false
                case let .constant(c) where c.dims.count <= 1 && c.ints != nil: dims += c.ints!.map { .known($0) }
                default: throw context.refuse("it concatenates constants that are not 1-D integers; reslab folds shape concatenations only")
                }
            }
            if allConstant { return .constant(ConstantTensor(dims: [dims.count], values: .ints(dims.map { if case let .known(k) = $0 { return Int64(k) } else { return 0 } }))) }
            return .shape(dims, scalar: false)
        }
        guard features.count == inputs.count, let first = features.first else {
            throw context.refuse("it concatenates feature maps with constants; reslab concatenates feature maps only")
        }
        let normalized = axis < 0 ? axis + first.rank : axis
        guard normalized == first.channelAxis, features.allSatisfy({ $0.layout == first.layout && !$0.channelMajor }) else {
            throw context.refuse("it concatenates along axis \(axis); reslab concatenates feature maps along channels (axis \(first.channelAxis))")
        }
        return .feature(try emit(output(context), .concat, features, context))
    }
}
