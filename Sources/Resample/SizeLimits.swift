import ImageIO

// Resample is compiled with -Ounchecked: inside it an overflowing `width * height` wraps and a
// failed precondition is not checked, so a size taken from a user must be checked before it
// reaches `resize`, `zonePlate` or `montage`. These throwing checks are that boundary; they use
// overflow-reporting arithmetic and the decoders' pixel limit (`InputLimit.pixels`).

/// A size asked of Resample that it refuses, with a sentence naming what was asked.
public struct ResampleSizeError: Error, Equatable, CustomStringConvertible {
    public var what: String
    public var limit: Int
    /// What is wrong, when it is not the pixel count.
    public var reason: String?

    public init(what: String, limit: Int, reason: String? = nil) {
        self.what = what
        self.limit = limit
        self.reason = reason
    }

    public var description: String {
        if let reason { return "\(what) \(reason)." }
        return "\(what) is too large: reslab makes images of at most \(limit) pixels (the decoders' limit); ask for a smaller size, or \(InputLimit.pixels.howToRaise)."
    }
}

/// Throws unless `width` × `height` is positive and at most `limit` pixels. `what` names the
/// request in the message, e.g. "--size 9223372036854775807x1".
public func checkImageSize(width: Int, height: Int, what: String, limit: Int = DecodeOptions.defaultMaxPixels) throws {
    let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
    guard width > 0, height > 0, !overflow, pixels <= limit else { throw ResampleSizeError(what: what, limit: limit) }
}

/// Throws unless the montage of `sizes` × `methods` fits the pixel limit (its sheet is about
/// (Σ cells) × (methods · cell) with cell = the largest size) and every size does.
public func checkMontage(sizes: [Int], methods: Int, what: String, limit: Int = DecodeOptions.defaultMaxPixels) throws {
    guard let cell = sizes.max(), sizes.allSatisfy({ $0 > 0 }), methods > 0 else {
        throw ResampleSizeError(what: what, limit: limit)
    }
    try checkImageSize(width: cell, height: cell, what: what, limit: limit)
    // Each cell is at most `limit` pixels, so these products stay far from overflow.
    let side = 200 + sizes.count * (cell + 4)
    try checkImageSize(width: side, height: 40 + methods * (cell + 4), what: what, limit: limit)
}

/// The smallest centre-crop fraction: the image is scaled by 1 / fraction before the crop, so a
/// tiny fraction (1e-300) would overflow the scaled size. timm's crops use 0.875–1.
public let smallestCropFraction = 0.05

/// Throws unless `fraction` lies in [`smallestCropFraction`, 1].
public func checkCropFraction(_ fraction: Double, what: String) throws {
    guard fraction >= smallestCropFraction && fraction <= 1 else {
        throw ResampleSizeError(what: what, limit: 0, reason: "must lie in \(smallestCropFraction)...1, e.g. 0.875")
    }
}
