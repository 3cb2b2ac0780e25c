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
    // Foundation returns nil, not empty data, at the end of a file: tell an empty file apart.
    guard let head = try? handle.read(upToCount: 8), !head.isEmpty else {
        var info = stat()
        let empty = stat(path, &info) == 0 && info.st_size == 0
        return .failure(SniffFailure(sentence: empty ? "it is empty (0 bytes)" : "it cannot be read (an I/O error)"))
    }
    guard let format = ImageFormat(sniffing: head) else {
        return .failure(SniffFailure(sentence: "it is not a PNG or JPEG file (judged by its first bytes)"))
    }
    return .success(format)
}
