import Foundation

/// Decodes PNG or JPEG bytes (recognised by their magic bytes) into an 8-bit image.
/// `name` is used in error messages only.
public func decodeImage(_ bytes: [UInt8], name: String = "<memory>", options: DecodeOptions = DecodeOptions()) throws -> Image {
    switch ImageFormat(sniffing: bytes) {
    case .png: return try decodePNG(bytes, name: name, options: options)
    case .jpeg: return try decodeJPEG(bytes, name: name, options: options)
    case nil where ImageFormat.hasDamagedPNGSignature(bytes):
        throw ImageIOError.corrupt(file: name, reason: "its PNG signature (the first 8 bytes) is damaged, e.g. by a text-mode transfer that rewrote line endings; copy the original file again in binary mode")
    case nil: throw ImageIOError.unrecognizedFormat(file: name)
    }
}

/// Reads and decodes the image file at `path`.
public func readImage(atPath path: String, options: DecodeOptions = DecodeOptions()) throws -> Image {
    try decodeImage(try readBytes(atPath: path), name: path, options: options)
}

/// The bytes of the file at `path`, or `ImageIOError.unreadable` saying why not.
public func readBytes(atPath path: String) throws -> [UInt8] {
    // A FIFO or device would block or never end: only regular files are opened.
    var info = stat()
    if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFREG {
        throw ImageIOError.unreadable(file: path, reason: "it is not a regular file (a folder, FIFO, socket or device)")
    }
    if stat(path, &info) == 0 && info.st_size == 0 {
        throw ImageIOError.unreadable(file: path, reason: "it is empty (0 bytes)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
        throw ImageIOError.unreadable(file: path, reason: reason)
    }
    return [UInt8](data)
}
