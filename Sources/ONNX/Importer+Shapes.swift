import NN

/// Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Shape and Gather: layout changes of
/// features (mostly no engine node) and the folding of shape arithmetic.
extension Importer {
    /// Flatten(axis 1) of a map → the engine's `flatten` (none when the map is 1×1 at every size).
    mutating func flatten(_ context: Context) throws -> ImportedValue {
        let axis = context.attributes.int("axis", default: 1)
        guard let name = context.input(0) else { throw context.refuse("it has no input") }
        switch try value(name, context) {
        case let .constant(c):
            let cut = axis < 0 ? axis + c.dims.count : axis
            guard (0...c.dims.count).contains(cut) else { throw context.refuse("its axis \(axis) is outside the input's \(c.dims.count) dimensions") }
            return .constant(c.reshaped([c.dims[..<cut].reduce(1, *), c.dims[cut...].reduce(1, *)]))
        case let .feature(x):
            let normalized = axis < 0 ? axis + x.rank : axis
            guard normalized == 1 else {
                throw context.refuse("its axis is \(axis); reslab flattens everything but the batch (axis 1)")
            }
            return .feature(try flattenFeature(x, context))
        case .shape:
            throw context.refuse("it flattens a shape; reslab folds only Shape → Gather → Unsqueeze → Concat chains")
        }
    }

    /// The features of `x` as one vector per example.
    mutating func flattenFeature(_ x: Feature, _ context: Context) throws -> Feature {
        if x.layout == .flat { return x }
        if x.flatAtEverySize {
            var flat = x
            flat.layout = .flat
            return flat
        }
        var result = try emit(output(context), .flatten, [x], context, layout: .flat)
        result.flatAtEverySize = false
        result.flattenedMap = x.shape
        result.channelMajor = x.layout == .nchw && !x.shape.isFlat
        return result
    }

    /// Reshape(x, shape): to (N, −1) or (N, K) is a flatten; (N, K) → (N, K, 1, 1) restores a
    /// map; a shape equal to the input's is the identity. Constants are reshaped at load.
    mutating func reshape(_ context: Context) throws -> ImportedValue {
        guard let name = context.input(0), let shapeName = context.input(1) else { throw context.refuse("it needs data and a shape") }
        let target: [SymbolicDim]
        switch try value(shapeName, context) {
        case let .constant(c):
            guard let ints = c.ints, c.dims.count == 1 else { throw context.refuse("its shape is not a 1-D integer tensor") }
            target = ints.map { .known($0) }
        case let .shape(dims, _): target = dims
        case .feature: throw context.refuse("its shape is computed from the image's values")
        }
        switch try value(name, context) {
        case let .constant(c): return .constant(try reshapeConstant(c, to: target, context))
        case .shape: throw context.refuse("it reshapes a shape; reslab folds only Shape → Gather → Unsqueeze → Concat chains")
        case let .feature(x): return .feature(try reshapeFeature(x, to: target, context))
        }
    }

    private mutating func reshapeFeature(_ x: Feature, to target: [SymbolicDim], _ context: Context) throws -> Feature {
        let dims = x.dims
        func keepsBatch(_ d: SymbolicDim) -> Bool { d == .batch || d == .known(0) || d == .known(-1) || d == .known(1) }
        func matches(_ d: SymbolicDim, _ i: Int) -> Bool {
            d == .known(0) || d == .known(dims[i]) || (i == 0 && keepsBatch(d)) || (d == .sizeDependent && i > 0)
        }
        if target.count == x.rank, target.indices.allSatisfy({ matches(target[$0], $0) }) { return x }
        if target.count == 2, keepsBatch(target[0]) {
            switch target[1] {
            case .known(-1), .sizeDependent:
                return try flattenFeature(x, context)
            case .known(x.shape.count) where target[0] != .known(-1):
                let result = try flattenFeature(x, context)
                if !x.flatAtEverySize {
                    pin(result.node, .constantReshape, "Reshape \"\(output(context))\" flattens to a constant \(x.shape.count) values, the size of the \(x.shape) map at the \(referenceSize) input; other input sizes give another count.")
                }
                return result
            default: break
            }
        }
        if target.count == 4, x.layout == .flat, !x.channelMajor, keepsBatch(target[0]),
           target[1] == .known(x.shape.channels) || target[1] == .known(-1), target[2] == .known(1), target[3] == .known(1) {
            var map = x
            map.layout = .nchw
            return map
        }
        throw context.refuse("it reshapes \(dims) (batch 1) to \(target.map(text)); reslab imports reshapes to (N, -1) or (N, K) (flatten), (N, C, 1, 1), or to the same shape")
    }

    private func text(_ d: SymbolicDim) -> String {
        switch d {
        case .batch: return "N"
        case let .known(k): return "\(k)"
        case .sizeDependent: return "?"
        }
    }

    private func reshapeConstant(_ c: ConstantTensor, to target: [SymbolicDim], _ context: Context) throws -> ConstantTensor {
        var dims: [Int] = []
        for (i, d) in target.enumerated() {
            guard case let .known(k) = d else { throw context.refuse("it reshapes a constant to a shape that depends on the input") }
            dims.append(k == 0 && i < c.dims.count ? c.dims[i] : k)
        }
        let fits = context.refuse("its shape \(dims) does not fit \(c.count) values")
        guard dims.allSatisfy({ (-1...c.count).contains($0) }), dims.filter({ $0 == -1 }).count <= 1 else { throw fits }
        if let hole = dims.firstIndex(of: -1) {
            var rest = 1
            for (i, d) in dims.enumerated() where i != hole {
                rest *= d
                guard rest <= c.count else { throw fits }
            }
            guard rest > 0, c.count % rest == 0 else { throw fits }
            dims[hole] = c.count / rest
        }
        var product = 1
        for d in dims {
            product *= d
            guard product <= c.count || product == 0 else { throw fits }
        }
        guard product == c.count else { throw fits }
        return c.reshaped(dims)
    }

    /// Transpose: NCHW ↔ NHWC changes only how later nodes read the features (the engine is
    /// NHWC throughout); constants are transposed at load.
    mutating func transpose(_ context: Context) throws -> ImportedValue {
        guard let name = context.input(0) else { throw context.refuse("it has no input") }
        let perm = context.attributes.ints("perm")
        switch try value(name, context) {
        case var .feature(x):
            let p = perm ?? Array((0..<x.rank).reversed())
            if p == Array(0..<x.rank) { return .feature(x) }
            switch (x.layout, p) {
            case (.nchw, [0, 2, 3, 1]): x.layout = .nhwc
            case (.nhwc, [0, 3, 1, 2]): x.layout = .nchw
            default: throw context.refuse("it permutes a \(x.rank)-D feature tensor by \(p); reslab imports NCHW ↔ NHWC transposes of maps")
            }
            return .feature(x)
        case let .constant(c):
            let p = perm ?? Array((0..<c.dims.count).reversed())
            guard p.sorted() == Array(0..<c.dims.count) else { throw context.refuse("its perm \(p) is not a permutation of the \(c.dims.count) axes") }
            return .constant(transposed(c, p))
        case .shape:
            throw context.refuse("it transposes a shape")
        }
    }

    /// `c` with its axes permuted: output axis i is input axis perm[i].
    func transposed(_ c: ConstantTensor, _ perm: [Int]) -> ConstantTensor {
        let rank = c.dims.count, newDims = perm.map { c.dims[$0] }
        var strides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * c.dims[i + 1] }
        var index = [Int](repeating: 0, count: rank), order: [Int] = []
        order.reserveCapacity(c.count)
        for _ in 0..<c.count {
            order.append(zip(index, perm).reduce(0) { $0 + $1.0 * strides[$1.1] })
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < newDims[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        switch c.values {
        case let .floats(v): return ConstantTensor(dims: newDims, values: .floats(order.map { v[$0] }))
        case let .ints(v): return ConstantTensor(dims: newDims, values: .ints(order.map { v[$0] }))
        }
    }

    /// Squeeze / Unsqueeze of height and width: a (N, C, 1, 1) map ↔ (N, C) features; of
    /// constants and shape scalars: folded.
    mutating func squeezeOrUnsqueeze(_ context: Context) throws -> ImportedValue {
        guard let name = context.input(0) else { throw context.refuse("it has no input") }
        let axes = opset >= 13 ? try integers(1, context) : context.attributes.ints("axes")
        let squeeze = context.op == "Squeeze"
        switch try value(name, context) {
        case var .feature(x):
            let rank = squeeze ? x.rank : x.rank + (axes?.count ?? 0)
            let normalized = Set((axes ?? [2, 3]).map { $0 < 0 ? $0 + rank : $0 })
            if squeeze, x.layout == .nchw, x.shape.isFlat, x.flatAtEverySize, normalized == [2, 3] {
                x.layout = .flat
                return .feature(x)
            }
            if !squeeze, x.layout == .flat, normalized == [2, 3] {
                x.layout = .nchw
                return .feature(x)
            }
            throw context.refuse("it \(squeeze ? "removes" : "adds") axes \(axes ?? []) of a \(x.rank)-D feature tensor; reslab imports only (N, C, 1, 1) ↔ (N, C)")
        case let .shape(dims, scalar):
            if !squeeze, scalar, axes == [0] { return .shape(dims, scalar: false) }
            if squeeze, !scalar, dims.count == 1, axes == nil || axes == [0] { return .shape(dims, scalar: true) }
            throw context.refuse("it reshapes a shape tensor in a way reslab does not fold")
        case let .constant(c):
            guard let axes else {
                guard squeeze else { throw context.refuse("it has no axes") }
                return .constant(c.reshaped(c.dims.filter { $0 != 1 }))
            }
            var dims = c.dims
            if squeeze {
                let drop = Set(axes.map { $0 < 0 ? $0 + dims.count : $0 })
                dims = dims.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
            } else {
                let rank = dims.count + axes.count
                for axis in axes.map({ $0 < 0 ? $0 + rank : $0 }).sorted() {
                    guard axis >= 0, axis <= dims.count else { throw context.refuse("its axis \(axis) is out of range") }
                    dims.insert(1, at: axis)
                }
            }
            guard dims.reduce(1, *) == c.count else { throw context.refuse("its axes \(axes) do not fit the shape \(c.dims)") }
            return .constant(c.reshaped(dims))
        }
    }

    /// Shape(x): the batch, the known channel count, and height and width (known 1 after
    /// global pooling, else dependent on the input size).
    func shape(_ context: Context) throws -> ImportedValue {
        let x = try feature(0, context)
        let spatial: SymbolicDim = x.flatAtEverySize ? .known(1) : .sizeDependent
        var dims: [SymbolicDim]
        switch x.layout {
        case .nchw: dims = [.batch, .known(x.shape.channels), spatial, spatial]
        case .nhwc: dims = [.batch, spatial, spatial, .known(x.shape.channels)]
        case .flat: dims = [.batch, .known(x.shape.channels)]
        }
        let a = context.attributes
        let rank = dims.count
        func clamp(_ i: Int) -> Int { min(max(i < 0 ? i + rank : i, 0), rank) }
        let start = clamp(a.int("start", default: 0)), end = clamp(a.int("end", default: rank))
        dims = start < end ? Array(dims[start..<end]) : []
        return .shape(dims, scalar: false)
    }

    /// Gather(data, indices) along axis 0 of a shape or a 1-D constant.
    func gather(_ context: Context) throws -> ImportedValue {
        guard let name = context.input(0) else { throw context.refuse("it has no input") }
        guard context.attributes.int("axis", default: 0) == 0, let indexTensor = try constant(1, context),
              let indices = indexTensor.ints, indexTensor.dims.count <= 1 else {
            throw context.refuse("reslab folds Gather of a shape or 1-D constant along axis 0 with constant indices")
        }
        let scalar = indexTensor.dims.isEmpty
        switch try value(name, context) {
        case let .shape(dims, _):
            let picked = try indices.map { i -> SymbolicDim in
                let j = i < 0 ? i + dims.count : i
                guard dims.indices.contains(j) else { throw context.refuse("its index \(i) is outside the \(dims.count) dimensions") }
                return dims[j]
            }
            return .shape(picked, scalar: scalar)
        case let .constant(c) where c.dims.count == 1:
            let n = c.dims[0]
            let positions = try indices.map { i -> Int in
                let j = i < 0 ? i + n : i
                guard (0..<n).contains(j) else { throw context.refuse("its index \(i) is outside the \(n) values") }
                return j
            }
            let dims = scalar ? [] : [positions.count]
            switch c.values {
            case let .floats(v): return .constant(ConstantTensor(dims: dims, values: .floats(positions.map { v[$0] })))
            case let .ints(v): return .constant(ConstantTensor(dims: dims, values: .ints(positions.map { v[$0] })))
            }
        default:
            throw context.refuse("it gathers from the image's features; reslab folds Gather only in shape arithmetic")
        }
    }
}
