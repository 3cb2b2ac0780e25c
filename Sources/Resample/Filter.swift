import Foundation

/// A resampling filter: a 1-D kernel `weight(x)` that is zero outside `-support ... support`
/// (in input pixels at unit scale). Downscaling with antialias stretches it by the scale factor.
///
/// The kernels are Pillow's (`src/libImaging/Resample.c`), except that `bicubic` takes its `a`
/// from the caller: Pillow uses a = −0.5, OpenCV's `INTER_CUBIC` (and torchvision's
/// `antialias=False`) a = −0.75; `ResizeMethod` picks the one that matches its convention.
///
/// The one type for a resize method's name everywhere: experiment files, command-line options,
/// results.csv (its raw value) and the report. Cases are listed in the order error messages
/// name them.
public enum Filter: String, CaseIterable, Sendable {
    /// One input pixel per output pixel, no weighting. Not a kernel: `AxisWeights` picks the
    /// source pixel directly (Pillow's and OpenCV's index rules differ, see there).
    case nearest
    /// Triangle (tent) of half-width 1: linear interpolation.
    case bilinear
    /// Keys' cubic convolution of half-width 2.
    case bicubic
    /// Lanczos-windowed sinc of half-width 3.
    case lanczos
    /// Box (area average) of width 1.
    case box
    /// Hamming-windowed sinc of half-width 1.
    case hamming

    /// Half-width of the kernel at unit scale, in input pixels.
    public var support: Double {
        switch self {
        case .nearest, .box: return 0.5
        case .bilinear, .hamming: return 1
        case .bicubic: return 2
        case .lanczos: return 3
        }
    }

    /// The kernel value at `x` (input pixels at unit scale), with Pillow's bicubic a = −0.5.
    public func weight(_ x: Double) -> Double { weight(x, cubicA: -0.5) }

    /// The kernel value at `x`; `cubicA` is Keys' parameter, used by `bicubic` only.
    public func weight(_ x: Double, cubicA a: Double) -> Double {
        switch self {
        case .nearest, .box:
            // Half-open so that abutting boxes never both count a pixel: (−½, ½].
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            return max(0, 1 - abs(x))
        case .hamming:
            // sinc(x) · (0.54 + 0.46 cos πx) on |x| < 1 (R. W. Hamming, "Digital Filters").
            let t = abs(x)
            if t == 0 { return 1 }
            if t >= 1 { return 0 }
            return sinc(t) * (0.54 + 0.46 * cos(Double.pi * t))
        case .bicubic:
            // Keys, "Cubic convolution interpolation for digital image processing" (1981):
            // (a+2)|x|³ − (a+3)|x|² + 1 on |x| < 1, a|x|³ − 5a|x|² + 8a|x| − 4a on 1 ≤ |x| < 2.
            let t = abs(x)
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
            return 0
        case .lanczos:
            // sinc(x) · sinc(x / 3) on −3 ≤ x < 3 (Duchon 1979; Pillow's half-open interval).
            return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0
        }
    }
}

extension Filter: Codable {
    /// Decodes the raw value; anything else is refused with the names there are.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let filter = Filter(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "`\(raw)` is not one of \(Filter.names).")
        }
        self = filter
    }

    /// Every name, comma-separated: "nearest, bilinear, bicubic, lanczos, box, hamming".
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// sin(πx) / (πx), with sinc(0) = 1.
@inline(__always)
func sinc(_ x: Double) -> Double {
    if x == 0 { return 1 }
    let px = Double.pi * x
    return sin(px) / px
}
