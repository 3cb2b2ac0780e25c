/// Why an image could not be read or written. Each message names the file (when known) and
/// says what to do.
public enum ImageIOError: Error, Equatable, CustomStringConvertible {
    /// The bytes are neither PNG nor JPEG (judged by their magic bytes, not the file name).
    case unrecognizedFormat(file: String)
    /// The image declares more pixels than `DecodeOptions.maxPixels` allows; nothing was allocated.
    case tooLarge(file: String, width: Int, height: Int, limit: Int)
    /// A variant the system libraries cannot decode (12-bit or lossless JPEG, say).
    case unsupported(file: String, reason: String)
    /// The library refused the data: truncated, bad CRC, corrupt entropy-coded data.
    case corrupt(file: String, reason: String)
    /// The file could not be read from disk.
    case unreadable(file: String, reason: String)
    /// Encoding failed.
    case encodeFailed(reason: String)

    public var description: String {
        switch self {
        case let .unrecognizedFormat(file):
            return "\(file) is not a PNG or JPEG file (its first bytes match neither); convert it or remove it from the folder."
        case let .tooLarge(file, width, height, limit):
            return "\(file) declares \(width)×\(height) = \(width * height) pixels, more than the limit of \(limit) (which keeps a crafted header from taking gigabytes); shrink it first, e.g. `convert \(file) -resize 50% smaller.png`, or \(InputLimit.pixels.howToRaise)."
        case let .unsupported(file, reason):
            return "\(file) uses a format variant reslab cannot decode: \(reason). Re-encode it as an 8-bit baseline JPEG or a PNG."
        case let .corrupt(file, reason):
            return "\(file) is damaged and was refused: \(reason)."
        case let .unreadable(file, reason):
            return "\(file) could not be read: \(reason)."
        case let .encodeFailed(reason):
            return "PNG encoding failed: \(reason)."
        }
    }
}
