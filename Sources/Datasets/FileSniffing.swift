import Foundation
import ImageIO

/// Why a file is not taken as an image while scanning.
struct SniffFailure: Error {
    var sentence: String
}

/// The file's format judged by its first 8 bytes (not by its name).
func sniffFile(atPath path: String) -> Result<ImageFormat, SniffFailure> {
    guard let handle = FileHandle(forReadingAtPath: path) else {
        return .failure(SniffFailure(sentence: "it cannot be opened (check its permissions)"))
    }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 8) else {
        return .failure(SniffFailure(sentence: "it cannot be read"))
    }
    guard let format = ImageFormat(sniffing: head) else {
        return .failure(SniffFailure(sentence: "it is not a PNG or JPEG file (judged by its first bytes)"))
    }
    return .success(format)
}
