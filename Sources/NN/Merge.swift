/// The merging nodes, NHWC, over `batch` images: `add` (two or more inputs), `multiply` (two)
/// and `concat` (two or more, along channels). Input 0 has the output's shape (H, W, C)
/// (`LayerSpec.place`); a later input of add or multiply may be (1, 1, C), broadcast over the
/// H·W positions of each image.
struct Merge {
    let shapes: [FeatureShape]
    let output: FeatureShape
    let batch: Int

    init(node: NodePlan, batch: Int) {
        shapes = node.inputShapes
        output = node.output
        self.batch = batch
    }

    var positions: Int { output.height * output.width }

    /// Whether input k is broadcast: (1, 1, C) read at every position.
    func isBroadcast(_ k: Int) -> Bool { shapes[k].count != output.count }

    /// y = Σ_k x_k (broadcast inputs added at every position). In place when y == x₀.
    func addForward(_ xs: [UnsafePointer<Float>], y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = output.channels, imageSize = output.count
        scratch.forParts(batch) { _, images in
            for n in images {
                let out = y + n &* imageSize
                if xs[0] + n &* imageSize != UnsafePointer(out) { out.update(from: xs[0] + n &* imageSize, count: imageSize) }
                for k in 1..<xs.count {
                    if isBroadcast(k) {
                        for p in 0..<positions { addVector(xs[k] + n &* c, to: out + p &* c, count: c) }
                    } else {
                        addVector(xs[k] + n &* imageSize, to: out, count: imageSize)
                    }
                }
            }
        }
    }

    /// From `y = Σ x_k`: dx_k = dy, or for a broadcast input dx_k[n, c] = Σ_{h, w} dy[n, h, w, c].
    /// dx₀ may be dy itself (nothing to do); nil targets are skipped.
    func addBackward(dy: UnsafePointer<Float>, dxs: [UnsafeMutablePointer<Float>?], scratch: Scratch) {
        for (k, dx) in dxs.enumerated() {
            guard let dx else { continue }
            if isBroadcast(k) {
                sumPositions(dy, into: dx, scratch: scratch)
            } else if dy != UnsafePointer(dx) {
                dx.update(from: dy, count: batch * output.count)
            }
        }
    }

    /// y = a · b, b of a's shape or broadcast.
    func multiplyForward(_ xs: [UnsafePointer<Float>], y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let a = xs[0], b = xs[1], c = output.channels, imageSize = output.count, broadcast = isBroadcast(1)
        scratch.forParts(batch) { _, images in
            for n in images {
                for p in 0..<positions {
                    let at = n &* imageSize &+ p &* c, gate = broadcast ? b + n &* c : b + at
                    for k in 0..<c { y[at &+ k] = a[at &+ k] * gate[k] }
                }
            }
        }
    }

    /// From `y = a · b`: da = dy · b; db = dy · a, summed over positions when b is broadcast.
    func multiplyBackward(_ xs: [UnsafePointer<Float>], dy: UnsafePointer<Float>, dxs: [UnsafeMutablePointer<Float>?],
                          scratch: Scratch) {
        let a = xs[0], b = xs[1], c = output.channels, imageSize = output.count, broadcast = isBroadcast(1)
        scratch.forParts(batch) { _, images in
            for n in images {
                if broadcast, let db = dxs[1] { (db + n &* c).update(repeating: 0, count: c) }
                for p in 0..<positions {
                    let at = n &* imageSize &+ p &* c, gate = broadcast ? b + n &* c : b + at
                    if let da = dxs[0] {
                        for k in 0..<c { da[at &+ k] = dy[at &+ k] * gate[k] }
                    }
                    if let db = dxs[1] {
                        let out = broadcast ? db + n &* c : db + at
                        for k in 0..<c {
                            let term = dy[at &+ k] * a[at &+ k]
                            out[k] = broadcast ? out[k] + term : term
                        }
                    }
                }
            }
        }
    }

    /// y[n, h, w, offset_k + c] = x_k[n, h, w, c], offset_k = C₀ + … + C_{k−1}.
    func concatForward(_ xs: [UnsafePointer<Float>], y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let width = output.channels
        scratch.forParts(batch &* positions) { _, rows in
            var offset = 0
            for (k, x) in xs.enumerated() {
                let c = shapes[k].channels
                for r in rows { copyFloats(x + r &* c, to: y + (r &* width &+ offset), count: c) }
                offset &+= c
            }
        }
    }

    /// From the forward copy: dx_k[n, h, w, c] = dy[n, h, w, offset_k + c].
    func concatBackward(dy: UnsafePointer<Float>, dxs: [UnsafeMutablePointer<Float>?], scratch: Scratch) {
        let width = output.channels
        scratch.forParts(batch &* positions) { _, rows in
            var offset = 0
            for (k, dx) in dxs.enumerated() {
                let c = shapes[k].channels
                if let dx {
                    for r in rows { copyFloats(dy + (r &* width &+ offset), to: dx + r &* c, count: c) }
                }
                offset &+= c
            }
        }
    }

    /// sums[n, c] = Σ_p dy[n, p, c], in position order.
    private func sumPositions(_ dy: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = output.channels, imageSize = output.count
        scratch.forParts(batch) { _, images in
            for n in images {
                let out = sums + n &* c
                out.update(from: dy + n &* imageSize, count: c)
                for p in 1..<max(1, positions) { addVector(dy + (n &* imageSize &+ p &* c), to: out, count: c) }
            }
        }
    }
}
