import Foundation
import ImageIO

/// Where an image's energy sits in frequency: the power of its 2-D orthonormal DCT-II, summed over
/// channels, kept as prefix sums so that the share above any grid's Nyquist limit costs O(1).
///
/// For an N-pixel axis the DCT-II basis functions are
///
///     b_k(n) = s_k · cos(π (n + ½) k / N),   s_0 = √(1/N), s_k = √(2/N),   k = 0 … N−1,
///
/// and b_k oscillates at k / (2N) cycles per input pixel. Resampled to S pixels over the same
/// extent, the grid's Nyquist limit is S / (2N) cycles per input pixel, so exactly the
/// coefficients with k ≥ S lie at or above it: the S-point DCT itself has k < S only. A 2-D
/// coefficient (ky, kx) is above the limit of an S_x × S_y grid when kx ≥ S_x or ky ≥ S_y (the
/// resize is separable, so the pass band is a rectangle, not a disc).
///
/// Why a DCT and not a DFT: the DCT's implied even extension has no jump at the image border,
/// while the DFT's periodic extension adds a border cross of high-frequency energy that is not in
/// the picture. Why not `x − upsample(downsample(x))`: that measures a resize method's own pass-band
/// loss and interpolation error too (a bilinear tent already attenuates content well below the
/// limit), while this is the method-independent budget: what no method can keep at S pixels.
///
/// The channel means are removed first, so the power sums to Σ (x − mean)² over pixels and
/// channels (Parseval; orthonormal basis): the image's contrast energy. Sums are in Float per
/// coefficient and Double across coefficients.
public struct SpectralEnergy: Sendable {
    public let width: Int
    public let height: Int
    /// Σ over pixels and channels of (x − channel mean)², x in 0...255 units.
    public let contrastEnergy: Double
    /// (height + 1, width + 1), row-major: cumulative[v · (width + 1) + u] is the power summed
    /// over ky < v and kx < u (all channels).
    private let cumulative: [Double]

    public init(_ image: Image) {
        let (w, h, channels) = (image.width, image.height, image.channels)
        // rowBasis (w, w): [n · w + kx] = b_kx(n); columnRows (h, h): [ky · h + n] = b_ky(n).
        let rowBasis = dctBasis(w), columnRows = transposed(dctBasis(h), size: h)
        var power = [Double](repeating: 0, count: w * h)
        var plane = [Float](repeating: 0, count: w * h)
        var horizontal = [Float](repeating: 0, count: w * h)
        var spectrum = [Float](repeating: 0, count: w * h)
        for channel in 0..<channels {
            var sum = 0
            for i in 0..<(w * h) { sum += Int(image.pixels[i * channels + channel]) }
            let mean = Float(Double(sum) / Double(w * h))
            for i in 0..<(w * h) { plane[i] = Float(image.pixels[i * channels + channel]) - mean }
            // Rows: horizontal[y, kx] = Σ_n plane[y, n] · rowBasis[n, kx]; then columns:
            // spectrum[ky, kx] = Σ_n columnRows[ky, n] · horizontal[n, kx].
            multiply(plane, rowBasis, into: &horizontal, rows: h, inner: w, columns: w)
            multiply(columnRows, horizontal, into: &spectrum, rows: h, inner: h, columns: w)
            for i in 0..<(w * h) { power[i] += Double(spectrum[i]) * Double(spectrum[i]) }
        }
        var cumulative = [Double](repeating: 0, count: (w + 1) * (h + 1))
        for v in 0..<h {
            var row = 0.0
            for u in 0..<w {
                row += power[v * w + u]
                cumulative[(v + 1) * (w + 1) + u + 1] = cumulative[v * (w + 1) + u + 1] + row
            }
        }
        self.width = w
        self.height = h
        self.cumulative = cumulative
        contrastEnergy = cumulative[(w + 1) * (h + 1) - 1]
    }

    /// The share of the contrast energy at DCT frequencies a `columns` × `rows` grid over the
    /// whole image cannot hold (kx ≥ columns or ky ≥ rows); nil for a uniform image, which has
    /// no contrast to share out. 0 when the grid is at least as fine as the image on both axes.
    public func shareAbove(columns: Int, rows: Int) -> Double? {
        guard contrastEnergy > 1e-9 * Double(width * height) else { return nil }
        let u = min(max(columns, 0), width), v = min(max(rows, 0), height)
        let kept = cumulative[v * (width + 1) + u]
        return max(0, min(1, 1 - kept / contrastEnergy))
    }

    /// The share above the Nyquist limit of the grid `resize(_:width:height:method:geometry:)`
    /// resamples this image to before cropping or padding: `width × height` for `.squash`, the
    /// scaled image for `.centerCrop` (its energy outside the crop counts too) and `.letterbox`.
    public func shareAboveNyquist(width: Int, height: Int, geometry: Geometry) -> Double? {
        let plan = ResizePlan(inWidth: self.width, inHeight: self.height, width: width, height: height, geometry: geometry)
        return shareAbove(columns: plan.scaledWidth, rows: plan.scaledHeight)
    }
}

/// The orthonormal DCT-II basis of an n-point axis, (n, n) row-major: [i · n + k] = b_k(i).
private func dctBasis(_ n: Int) -> [Float] {
    var basis = [Float](repeating: 0, count: n * n)
    for i in 0..<n {
        for k in 0..<n {
            let scale = k == 0 ? (1 / Double(n)).squareRoot() : (2 / Double(n)).squareRoot()
            basis[i * n + k] = Float(scale * cos(Double.pi * (Double(i) + 0.5) * Double(k) / Double(n)))
        }
    }
    return basis
}

/// out (rows, columns) = a (rows, inner) · b (inner, columns), all row-major; the inner loop runs
/// over contiguous memory so the compiler vectorises it.
private func multiply(_ a: [Float], _ b: [Float], into out: inout [Float], rows: Int, inner: Int, columns: Int) {
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            out.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows {
                    let o = out.baseAddress! + r * columns
                    o.update(repeating: 0, count: columns)
                    for i in 0..<inner {
                        let x = a[r * inner + i], bRow = b.baseAddress! + i * columns
                        for c in 0..<columns { o[c] += x * bRow[c] }
                    }
                }
            }
        }
    }
}

/// The transpose of a (size, size) row-major matrix.
private func transposed(_ m: [Float], size: Int) -> [Float] {
    (0..<(size * size)).map { m[($0 % size) * size + $0 / size] }
}
