/// Max and average pooling over k×k windows, NHWC, parallel over images:
///
///     max:  y[n, ho, wo, c] = max_{(i, j) in window} x[n, ho·s − pt + i, wo·s − pl + j, c]
///     avg:  y[n, ho, wo, c] = (1 / count) Σ_{(i, j) in window} x[…]
///
/// Padding never wins a max and is not counted in an average (`count` = in-bounds taps).
struct Pooling {
    let plan: LayerPlan
    let batch: Int

    /// Calls `body(output, window)` for every output pixel (ho·Wo + wo), with the in-bounds
    /// input pixels of its window.
    @inline(__always)
    private func forEachWindow(_ body: (_ output: Int, _ window: WindowIterator) -> Void) {
        let rows = plan.rows!, columns = plan.columns!
        for ho in 0..<rows.output {
            let h0 = ho &* rows.stride &- rows.padBefore
            let hs = max(0, h0)..<min(rows.input, h0 &+ rows.extent)
            for wo in 0..<columns.output {
                let w0 = wo &* columns.stride &- columns.padBefore
                let ws = max(0, w0)..<min(columns.input, w0 &+ columns.extent)
                body(ho &* columns.output &+ wo, WindowIterator(rows: hs, columns: ws, width: columns.input))
            }
        }
    }

    /// y = maxpool(x); `indices` (N, Ho, Wo, C) receives the winning input pixel hi·W + wi.
    func maxForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>?, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = x + n &* plan.input.count
                forEachWindow { output, window in
                    let out = y + (n &* plan.output.height &* plan.output.width &+ output) &* c
                    out.update(repeating: -.infinity, count: c)
                    if let indices {
                        let index = indices + (out - y)
                        window.forEachPixel { pixel in
                            let src = image + pixel &* c
                            for k in 0..<c where src[k] > out[k] {
                                out[k] = src[k]
                                index[k] = Int32(pixel)
                            }
                        }
                    } else {
                        window.forEachPixel { pixel in
                            let src = image + pixel &* c
                            for k in 0..<c { out[k] = max(out[k], src[k]) }
                        }
                    }
                }
            }
        }
    }

    /// From `y = x[argmax]`: dx[n, argmax, c] += dy[n, ho, wo, c]. Overwrites dx.
    func maxBackward(dy: UnsafePointer<Float>, indices: UnsafePointer<Int32>, dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels
        let outputs = plan.output.height * plan.output.width
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = dx + n &* plan.input.count
                image.update(repeating: 0, count: plan.input.count)
                let base = n &* outputs &* c
                for o in 0..<outputs {
                    for k in 0..<c {
                        let at = base &+ o &* c &+ k
                        image[Int(indices[at]) &* c &+ k] += dy[at]
                    }
                }
            }
        }
    }

    /// y = avgpool(x).
    func averageForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = x + n &* plan.input.count
                forEachWindow { output, window in
                    let out = y + (n &* plan.output.height &* plan.output.width &+ output) &* c
                    out.update(repeating: 0, count: c)
                    window.forEachPixel { pixel in addVector(image + pixel &* c, to: out, count: c) }
                    let scale = 1 / Float(window.count)
                    for k in 0..<c { out[k] *= scale }
                }
            }
        }
    }

    /// From `y = (1/count) Σ x`: dx[window] += dy / count. Overwrites dx.
    func averageBackward(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = dx + n &* plan.input.count
                image.update(repeating: 0, count: plan.input.count)
                forEachWindow { output, window in
                    let grad = dy + (n &* plan.output.height &* plan.output.width &+ output) &* c
                    let scale = 1 / Float(window.count)
                    window.forEachPixel { pixel in addScaledVector(grad, scale: scale, to: image + pixel &* c, count: c) }
                }
            }
        }
    }
}

/// The in-bounds input pixels of one pooling window.
struct WindowIterator {
    let rows: Range<Int>
    let columns: Range<Int>
    let width: Int

    var count: Int { rows.count * columns.count }

    @inline(__always)
    func forEachPixel(_ body: (Int) -> Void) {
        for hi in rows {
            for wi in columns { body(hi &* width &+ wi) }
        }
    }
}

/// Global average and max pooling: (N, H, W, C) → (N, 1, 1, C).
struct GlobalPooling {
    let plan: LayerPlan
    let batch: Int

    var pixels: Int { plan.input.height * plan.input.width }

    /// y[n, c] = (1 / HW) Σ_{h, w} x[n, h, w, c].
    func averageForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels, scale = 1 / Float(pixels)
        scratch.forParts(batch) { _, images in
            for n in images {
                let out = y + n &* c
                out.update(repeating: 0, count: c)
                for p in 0..<pixels { addVector(x + (n &* pixels &+ p) &* c, to: out, count: c) }
                for k in 0..<c { out[k] *= scale }
            }
        }
    }

    /// From `y = (1/HW) Σ x`: dx[n, h, w, c] = dy[n, c] / HW.
    func averageBackward(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels, scale = 1 / Float(pixels)
        scratch.forParts(batch) { _, images in
            for n in images {
                for p in 0..<pixels {
                    let dst = dx + (n &* pixels &+ p) &* c
                    for k in 0..<c { dst[k] = dy[n &* c &+ k] * scale }
                }
            }
        }
    }

    /// y[n, c] = max_{h, w} x[n, h, w, c]; `indices` (N, C) receives the winning pixel h·W + w.
    func maxForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Int32>?, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                let out = y + n &* c
                out.update(repeating: -.infinity, count: c)
                for p in 0..<pixels {
                    let src = x + (n &* pixels &+ p) &* c
                    for k in 0..<c where src[k] > out[k] {
                        out[k] = src[k]
                        indices?[n &* c &+ k] = Int32(p)
                    }
                }
            }
        }
    }

    /// From `y = x[argmax]`: dx[n, argmax, c] = dy[n, c], zero elsewhere.
    func maxBackward(dy: UnsafePointer<Float>, indices: UnsafePointer<Int32>, dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                (dx + n &* plan.input.count).update(repeating: 0, count: plan.input.count)
                for k in 0..<c { dx[(n &* pixels &+ Int(indices[n &* c &+ k])) &* c &+ k] = dy[n &* c &+ k] }
            }
        }
    }
}
