import NN

/// Gemm and MatMul with constant weights → `dense`, weights re-laid out to (K, U).
extension Importer {
    /// Gemm(A (N, K), B, C?) = α·A·B' + β·C with B' = B or Bᵀ (transB); A must be the image's
    /// features, B and C constants.
    mutating func gemm(_ context: Context) throws -> Feature {
        let a = context.attributes
        guard a.int("transA", default: 0) == 0 else { throw context.refuse("it transposes its input (transA = 1); reslab imports Gemm on (N, K) features") }
        let b = try requiredConstant(1, context)
        guard b.dims.count == 2 else { throw context.refuse("its weight has shape \(b.dims); reslab needs a 2-D weight") }
        let transposed = a.int("transB", default: 0) != 0
        let (k, u) = transposed ? (b.dims[1], b.dims[0]) : (b.dims[0], b.dims[1])
        var bias = [Float](repeating: 0, count: u)
        if let c = try constant(2, context) {
            guard c.count == 1 || (c.count == u && c.dims.last == u) else {
                throw context.refuse("its bias C has shape \(c.dims); reslab imports a scalar or one value per output (\(u))")
            }
            let beta = a.float("beta", default: 1)
            bias = c.count == 1 ? [Float](repeating: beta * c.floats[0], count: u) : c.floats.map { beta * $0 }
        }
        let alpha = a.float("alpha", default: 1), values = b.floats
        return try dense(context, k: k, u: u, bias: bias) { i, j in
            alpha * (transposed ? values[j * k + i] : values[i * u + j])
        }
    }

    /// MatMul(A (N, K), B (K, U)) with B constant → `dense` without bias.
    mutating func matMul(_ context: Context) throws -> Feature {
        let b = try requiredConstant(1, context)
        guard b.dims.count == 2 else {
            throw context.refuse("its second input has shape \(b.dims); reslab imports MatMul of (N, K) features by a constant (K, U) matrix")
        }
        let (k, u) = (b.dims[0], b.dims[1]), values = b.floats
        return try dense(context, k: k, u: u, bias: [Float](repeating: 0, count: u)) { i, j in values[i * u + j] }
    }

    /// A dense layer on input 0 with weight(i, j) the ONNX weight from input i to output j.
    /// After a Flatten of a (C, H, W) map, ONNX's row i = c·H·W + h·W + w is the engine's row
    /// (h·W + w)·C + c, so rows are permuted here, once.
    private mutating func dense(_ context: Context, k: Int, u: Int, bias: [Float], weight: (Int, Int) -> Float) throws -> Feature {
        let x = try feature(0, context)
        guard x.layout == .flat else { throw context.refuse("its input is a \(x.rank)-D map; reslab imports it on (N, K) features (after Flatten or global pooling)") }
        guard x.shape.channels == k else {
            throw context.refuse("its weight expects \(k) inputs but it gets \(x.shape.channels) at the \(referenceSize) input")
        }
        var engine = [Float](repeating: 0, count: k * u)
        let map = x.channelMajor ? x.flattenedMap : nil
        for row in 0..<k {
            var source = row
            if let map {
                let (c, position) = (row % map.channels, row / map.channels)
                source = c * map.height * map.width + position
            }
            for j in 0..<u { engine[row * u + j] = weight(source, j) }
        }
        let result = try emit(output(context), .dense(units: u), [x], context, parameters: [.weight: engine, .bias: bias])
        if let map = x.flattenedMap, !map.isFlat {
            pin(result.node, .flattenDense, "\(context.op) \"\(result.node)\" reads the \(map) map of the \(referenceSize) input flattened into \(k) values, so it takes no other input size (global average pooling would not tie the size).")
        }
        return result
    }
}
