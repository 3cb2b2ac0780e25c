/// A tensor known at load time: an initializer, a `Constant` node's value, or the result of
/// folding arithmetic on those. Row-major over `dims` (ONNX's order); floats or integers.
struct ConstantTensor: Equatable {
    enum Values: Equatable {
        case floats([Float])
        case ints([Int64])
    }

    var dims: [Int]
    var values: Values

    /// The largest tensor the importer reads, in elements (1 GiB of float32): a bigger declared
    /// size is refused before anything is allocated.
    static let maxElements = 1 << 28

    var count: Int { dims.reduce(1, *) }

    var floats: [Float] {
        switch values {
        case let .floats(v): return v
        case let .ints(v): return v.map { Float($0) }
        }
    }

    /// The values as integers, nil for float tensors.
    var ints: [Int]? {
        if case let .ints(v) = values { return v.map { Int(clamping: $0) } }
        return nil
    }

    /// The number of elements of `dims`, or nil when a dimension is negative or the product
    /// exceeds `maxElements` (checked without overflow).
    static func elementCount(_ dims: [Int64]) -> Int? {
        var total = 1
        for d in dims {
            guard d >= 0, d <= Int64(maxElements) else { return nil }
            total *= Int(d)
            guard total <= maxElements else { return nil }
        }
        return total
    }

    /// The tensor with its dimensions replaced (same values, row-major).
    func reshaped(_ newDims: [Int]) -> ConstantTensor {
        ConstantTensor(dims: newDims, values: values)
    }
}
