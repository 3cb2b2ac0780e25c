/// Max and average pooling over k×k windows, NHWC, parallel over images:
///
///     max:  y[n, ho, wo, c] = max_{(i, j) in window} x[n, ho·s − pt + i, wo·s − pl + j, c]
///     avg:  y[n, ho, wo, c] = (1 / count) Σ_{(i, j) in window} x[…]
///
/// Padding never wins a max. An average divides by the window's in-bounds taps (`count`), or
/// with `countIncludePad` by its taps inside the padded input (`paddedCount`: the padding
/// counts, ceil rounding's overhang past it does not, as in PyTorch).
struct Pooling {
    let plan: LayerPlan
    let batch: Int

    /// Calls `body(output, window)` for every output pixel (ho·Wo + wo), with the in-bounds
    /// input pixels of its window.
    @inline(__always)
    private func forEachWindow(_ body: (_ output: Int, _ window: WindowIterator) -> Void) {
        let rows = plan.rows!, columns = plan.columns!
        let (rowEnd, columnEnd) = (rows.input &+ padAfter(.rows), columns.input &+ padAfter(.columns))
        for ho in 0..<rows.output {
            let h0 = ho &* rows.stride &- rows.padBefore
            let hs = max(0, h0)..<min(rows.input, h0 &+ rows.extent)
            let paddedRows = min(rowEnd, h0 &+ rows.extent) &- h0
            for wo in 0..<columns.output {
                let w0 = wo &* columns.stride &- columns.padBefore
                let ws = max(0, w0)..<min(columns.input, w0 &+ columns.extent)
                let paddedColumns = min(columnEnd, w0 &+ columns.extent) &- w0
                body(ho &* columns.output &+ wo, WindowIterator(rows: hs, columns: ws, width: columns.input,
                                                                paddedCount: paddedRows &* paddedColumns))
            }
        }
    }

    /// The padding after the input along `axis`: the explicit padding, SAME's computed one, 0 for valid.
    private func padAfter(_ axis: Padding.Axis) -> Int {
        guard case let .avgPool(spec) = plan.spec else { return 0 }
        if spec.padding == .same { return (axis == .rows ? plan.rows! : plan.columns!).padAfter }
        return spec.padding.explicitSides(along: axis)?.after ?? 0
    }

    /// 1 / the divisor of a window's average.
    @inline(__always)
    private func averageScale(_ window: WindowIterator) -> Float {
        if case let .avgPool(spec) = plan.spec, spec.countIncludePad { return 1 / Float(window.paddedCount) }
        return 1 / Float(window.count)
    }

    /// y = maxpool(x), 16 channels at a time.
    func maxForward(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = x + n &* plan.input.count
                forEachWindow { output, window in
                    let out = y + (n &* plan.output.height &* plan.output.width &+ output) &* c
                    var k = 0
                    while k &+ 16 <= c {
                        var maximum = WindowMaximum()
                        for hi in window.rows {
                            for wi in window.columns { maximum.take(load16(image + ((hi &* window.width &+ wi) &* c &+ k))) }
                        }
                        store16(maximum.best, out + k)
                        k &+= 16
                    }
                    while k < c {
                        var best = -Float.infinity
                        window.forEachPixel { pixel in best = max(best, image[pixel &* c &+ k]) }
                        out[k] = best
                        k &+= 1
                    }
                }
            }
        }
    }

    /// From `y = max over the window of x`: the gradient goes to the first input (in window
    /// order) equal to the maximum, as the forward's strict `>` kept the first one:
    /// dx[n, first argmax, c] += dy[n, ho, wo, c]. Recomputing the winner from x and y saves
    /// storing indices. With `reluMask` (x is a ReLU's output whose backward this applies,
    /// `ExecutionSchedule.maskedByPool`) a window whose maximum is 0 passes no gradient.
    /// Overwrites dx: windows that do not overlap store their gradients instead of adding them,
    /// and windows that tile the input exactly (2×2, stride 2, even sizes) need no zeroing first.
    func maxBackward(x: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                     dx: UnsafeMutablePointer<Float>, reluMask: Bool, scratch: Scratch) {
        let c = plan.input.channels, rows = plan.rows!, columns = plan.columns!
        let disjoint = rows.stride >= rows.extent && columns.stride >= columns.extent
        let tiled = disjoint && [rows, columns].allSatisfy { $0.stride == $0.extent && $0.padBefore == 0 && $0.output * $0.stride == $0.input }
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = x + n &* plan.input.count, dImage = dx + n &* plan.input.count
                if !tiled { dImage.update(repeating: 0, count: plan.input.count) }
                forEachWindow { output, window in
                    let at = (n &* plan.output.height &* plan.output.width &+ output) &* c
                    var k = 0
                    while k &+ 16 <= c {
                        let best = load16(y + (at &+ k))
                        var grad = load16(dy + (at &+ k))
                        if reluMask { grad.replace(with: 0, where: best .<= 0) }
                        var done = SIMDMask<SIMD16<Int32>>(repeating: false)
                        for hi in window.rows {
                            for wi in window.columns {
                                let offset = (hi &* window.width &+ wi) &* c &+ k
                                let hit = (load16(image + offset) .== best) .& .!done
                                let share = grad.replacing(with: 0, where: .!hit)
                                store16(disjoint ? share : load16(dImage + offset) + share, dImage + offset)
                                done = done .| hit
                            }
                        }
                        k &+= 16
                    }
                    while k < c {
                        var done = false
                        let grad = reluMask && y[at &+ k] <= 0 ? 0 : dy[at &+ k]
                        window.forEachPixel { pixel in
                            let hit = !done && image[pixel &* c &+ k] == y[at &+ k]
                            let share: Float = hit ? grad : 0
                            dImage[pixel &* c &+ k] = disjoint ? share : dImage[pixel &* c &+ k] + share
                            done = done || hit
                        }
                        k &+= 1
                    }
                }
            }
        }
    }

    /// `maxBackward` for a 2×2, stride-2 pool that tiles its input, taken in a convolution's
    /// store in training: each output's winner is its place in the window (0…3, as Float:
    /// comparisons of SIMD16<Int32> compile to a lane loop), saved by the store
    /// (`Convolution.storePooledRows`), so x, never stored, is not read:
    /// dx[window place] = dy where place == winner, else 0 (masked as `maxBackward`).
    func tiledMaxBackward(winners: UnsafePointer<Float>, y: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                          dx: UnsafeMutablePointer<Float>, reluMask: Bool, scratch: Scratch) {
        let c = plan.input.channels, wo = plan.output.width, ho = plan.output.height
        precondition(plan.rows!.isPairs && plan.columns!.isPairs && plan.input.height == 2 * ho && plan.input.width == 2 * wo,
                     "tiledMaxBackward: the pool must tile its input with 2×2 windows")
        scratch.forParts(batch * ho) { _, pooledRows in
            for row in pooledRows {
                let top = dx + row * 2 * (2 * wo) * c, bottom = top + 2 * wo * c
                for px in 0..<wo {
                    let at = (row * wo + px) * c
                    let places = (top + 2 * px * c, top + (2 * px + 1) * c, bottom + 2 * px * c, bottom + (2 * px + 1) * c)
                    var k = 0
                    while k + 16 <= c {
                        var grad = load16(dy + (at + k))
                        if reluMask { grad.replace(with: 0, where: load16(y + (at + k)) .<= 0) }
                        let winner = load16(winners + (at + k))
                        store16(grad.replacing(with: 0, where: winner .!= 0), places.0 + k)
                        store16(grad.replacing(with: 0, where: winner .!= 1), places.1 + k)
                        store16(grad.replacing(with: 0, where: winner .!= 2), places.2 + k)
                        store16(grad.replacing(with: 0, where: winner .!= 3), places.3 + k)
                        k += 16
                    }
                    while k < c {
                        let grad = reluMask && y[at + k] <= 0 ? 0 : dy[at + k], winner = winners[at + k]
                        places.0[k] = winner == 0 ? grad : 0
                        places.1[k] = winner == 1 ? grad : 0
                        places.2[k] = winner == 2 ? grad : 0
                        places.3[k] = winner == 3 ? grad : 0
                        k += 1
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
                    let scale = averageScale(window)
                    for k in 0..<c { out[k] *= scale }
                }
            }
        }
    }

    /// From `y = (1/count) Σ x`: dx[window] += dy / count (count as in the forward). Overwrites dx.
    func averageBackward(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let c = plan.input.channels
        scratch.forParts(batch) { _, images in
            for n in images {
                let image = dx + n &* plan.input.count
                image.update(repeating: 0, count: plan.input.count)
                forEachWindow { output, window in
                    let grad = dy + (n &* plan.output.height &* plan.output.width &+ output) &* c
                    let scale = averageScale(window)
                    window.forEachPixel { pixel in addScaledVector(grad, scale: scale, to: image + pixel &* c, count: c) }
                }
            }
        }
    }
}

/// A max pool's running maximum over a window, 16 channels at a time: starts at −∞ and takes a
/// value only where it is strictly larger, in window order, so ties keep the first input. The
/// one rule `Pooling.maxForward` and Winograd's pooled store use; `maxBackward` finds the same
/// winner (the first input equal to the maximum), and `storePooledRows` writes the rule out
/// (see there).
struct WindowMaximum {
    var best = SIMD16<Float>(repeating: -.infinity)
    /// The place in the window (as Float) of each channel's maximum, when taken with places.
    var winner = SIMD16<Float>()

    /// Takes `value` where it beats the maximum so far.
    @inline(__always)
    mutating func take(_ value: SIMD16<Float>) {
        // Compare-and-blend: Swift's pointwiseMax is scalar here (5× slower).
        best.replace(with: value, where: value .> best)
    }

    /// Takes `value`, the window's input at `place`, where it beats the maximum so far, and
    /// records `place` there (the numbering of `Pooling.tiledMaxBackward`: 0…3 in row order).
    @inline(__always)
    mutating func take(_ value: SIMD16<Float>, place: Float) {
        let wins = value .> best
        best.replace(with: value, where: wins)
        winner.replace(with: SIMD16(repeating: place), where: wins)
    }
}

/// The in-bounds input pixels of one pooling window.
struct WindowIterator {
    let rows: Range<Int>
    let columns: Range<Int>
    let width: Int
    /// Taps inside the input or its padding (ceil rounding's overhang excluded).
    let paddedCount: Int

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
