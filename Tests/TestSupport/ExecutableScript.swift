import Foundation

/// Writes `text` to `path` as an executable (mode 755) file, opened with O_CLOEXEC: a child
/// process that another test spawns meanwhile must not inherit the file open for writing, or
/// running it fails with ETXTBSY ("text file busy"). True when every byte was written.
@discardableResult
public func writeExecutableScript(_ text: String, to path: String) -> Bool {
    let bytes = Array(text.utf8)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return write(fd, bytes, bytes.count) == bytes.count
}
