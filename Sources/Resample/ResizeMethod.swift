/// How an image is resampled: a filter, and whether the filter widens when downscaling.
///
/// - `antialias == true` follows Pillow (and torchvision's `antialias=True`): when downscaling by
///   s, the kernel is stretched to support × s so that every input pixel contributes; windows are
///   cut at the image border and renormalised; `bicubic` uses a = −0.5; `nearest` picks the
///   input pixel under the output pixel's centre, ⌊(i + ½)·s⌋.
/// - `antialias == false` follows OpenCV's `cv2.resize` (and torchvision's `antialias=False`):
///   the kernel stays at unit scale (point sampling when downscaling), taps beyond the border
///   repeat the edge pixel; `bicubic` uses a = −0.75 (`INTER_CUBIC`); `nearest` picks ⌊i·s⌋
///   (`INTER_NEAREST`, not centred). `box`, `hamming` and `lanczos` (3 lobes, unlike OpenCV's
///   `INTER_LANCZOS4`) follow the same rules.
public struct ResizeMethod: Hashable, Sendable, CustomStringConvertible {
    public var filter: Filter
    public var antialias: Bool

    public init(_ filter: Filter, antialias: Bool = true) {
        self.filter = filter
        self.antialias = antialias
    }

    /// Keys' a: Pillow's −0.5 with antialias, OpenCV's −0.75 without.
    public var cubicA: Double { antialias ? -0.5 : -0.75 }

    /// `bicubic`, or `bicubic-noaa` without antialias (the form `init?(name:)` reads).
    public var description: String { antialias ? filter.rawValue : filter.rawValue + "-noaa" }

    /// Parses `description`'s form: a filter name, optionally followed by `-noaa`.
    public init?(name: String) {
        let base = name.hasSuffix("-noaa") ? String(name.dropLast(5)) : name
        guard let filter = Filter(rawValue: base) else { return nil }
        self.init(filter, antialias: !name.hasSuffix("-noaa"))
    }
}
