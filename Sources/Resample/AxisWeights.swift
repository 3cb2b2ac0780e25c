import Foundation

/// Fixed-point precision of 8-bit resampling, as Pillow: weights are scaled by 2^22, which leaves
/// 8 bits for the pixel value and 2 for overflow from negative lobes in a 32-bit accumulator.
let precisionBits: Int32 = 22

/// The weights that resample one axis of `inSize` pixels to `outSize` pixels, computed once per
/// (inSize, outSize, method) and reused:
///
///     out[i] = Σ_k weight[i, k] · in[first[i] + k],   k in 0..<taps
///
/// Every output has the same number of `taps` (zero-padded), and `first[i] + taps ≤ inSize`, so
/// passes never test bounds. Storage is raw and owned here (`first`: (outSize), `weights` and
/// `fixed`: (outSize, taps), row-major).
final class AxisWeights {
    let inSize: Int
    let outSize: Int
    let taps: Int
    /// (outSize) first input index read by each output.
    let first: UnsafeMutablePointer<Int32>
    /// (outSize, taps) weights summing to 1 per output.
    let weights: UnsafeMutablePointer<Float>
    /// (outSize, taps) `weights` × 2^22, rounded half away from zero (Pillow's
    /// `normalize_coeffs_8bpc`), computed from the double-precision weights.
    let fixed: UnsafeMutablePointer<Int32>

    /// The weights in 16-lane blocks for 1- and 3-channel horizontal passes, made on first use.
    private var laneTables: [Int: LaneWeights] = [:]

    func lanes(channels: Int) -> LaneWeights {
        if let lanes = laneTables[channels] { return lanes }
        let lanes = LaneWeights(self, channels: channels)
        laneTables[channels] = lanes
        return lanes
    }

    /// Identity when the axis keeps its size: every filter then reads its own pixel only.
    var isIdentity: Bool { inSize == outSize }

    init(inSize: Int, outSize: Int, method: ResizeMethod) {
        precondition(inSize > 0 && outSize > 0, "axis sizes must be positive, got \(inSize) → \(outSize)")
        let windows = AxisWeights.windows(inSize: inSize, outSize: outSize, method: method)
        let taps = min(inSize, windows.map(\.weights.count).max() ?? 1)
        self.inSize = inSize
        self.outSize = outSize
        self.taps = taps
        first = .allocate(capacity: outSize)
        weights = .allocate(capacity: outSize * taps)
        fixed = .allocate(capacity: outSize * taps)
        weights.initialize(repeating: 0, count: outSize * taps)
        fixed.initialize(repeating: 0, count: outSize * taps)
        let scale = Double(1 << precisionBits)
        for (i, window) in windows.enumerated() {
            // Shift the start left near the right edge so that all `taps` reads stay inside.
            let start = min(window.start, inSize - taps)
            first[i] = Int32(start)
            for (k, w) in window.weights.enumerated() {
                let slot = i * taps + window.start - start + k
                weights[slot] = Float(w)
                fixed[slot] = Int32(w < 0 ? -0.5 + w * scale : 0.5 + w * scale)
            }
        }
    }

    deinit {
        first.deallocate()
        weights.deallocate()
        fixed.deallocate()
    }

    /// One output's contiguous input window and its normalised double-precision weights.
    struct Window {
        var start: Int
        var weights: [Double]
    }

    /// The windows of every output pixel; pixel centres sit at half-integers in both axes.
    static func windows(inSize: Int, outSize: Int, method: ResizeMethod) -> [Window] {
        if inSize == outSize {
            return (0..<outSize).map { Window(start: $0, weights: [1]) }
        }
        let scale = Double(inSize) / Double(outSize)
        if method.filter == .nearest {
            return nearestIndices(inSize: inSize, outSize: outSize, centred: method.antialias)
                .map { Window(start: $0, weights: [1]) }
        }
        // Pillow's precompute_coeffs: the kernel stretches by the downscale factor.
        let filterScale = method.antialias ? max(scale, 1) : 1
        let support = method.filter.support * filterScale
        let inverseScale = 1 / filterScale
        return (0..<outSize).map { i in
            let center = (Double(i) + 0.5) * scale
            // Pillow rounds with C's truncating (int) cast; floor is the same for the positive
            // values it keeps, and extends the window past the border in the clamped mode.
            var lo = Int((center - support + 0.5).rounded(.down))
            var hi = Int((center + support + 0.5).rounded(.down))
            if method.antialias {
                lo = max(lo, 0)
                hi = min(hi, inSize)
            }
            // Without antialias, taps beyond the border repeat the edge pixel (OpenCV's
            // BORDER_REPLICATE), so their weight joins the edge pixel's.
            let start = min(max(lo, 0), inSize - 1)
            let end = max(min(hi, inSize), start + 1)
            var weights = [Double](repeating: 0, count: end - start)
            for j in lo..<hi {
                let w = method.filter.weight((Double(j) - center + 0.5) * inverseScale, cubicA: method.cubicA)
                weights[min(max(j, 0), inSize - 1) - start] += w
            }
            let sum = weights.reduce(0, +)
            return Window(start: start, weights: sum == 0 ? weights : weights.map { $0 / sum })
        }
    }

    /// Nearest-neighbour source indices. Centred (Pillow): ⌊(i + ½)·s⌋, accumulated in double as
    /// Pillow's `ImagingScaleAffine` does. Not centred (OpenCV `INTER_NEAREST`): ⌊i · (1 / (out/in))⌋.
    static func nearestIndices(inSize: Int, outSize: Int, centred: Bool) -> [Int] {
        var indices = [Int]()
        indices.reserveCapacity(outSize)
        if centred {
            let scale = Double(inSize) / Double(outSize)
            var x = scale * 0.5
            for _ in 0..<outSize {
                indices.append(min(Int(x), inSize - 1))
                x += scale
            }
        } else {
            let inverse = 1 / (Double(outSize) / Double(inSize))
            for i in 0..<outSize {
                indices.append(min(Int((Double(i) * inverse).rounded(.down)), inSize - 1))
            }
        }
        return indices
    }
}

/// The key under which a `ResizeScratch` caches an `AxisWeights`.
struct AxisKey: Hashable {
    var inSize: Int
    var outSize: Int
    var method: ResizeMethod
}
