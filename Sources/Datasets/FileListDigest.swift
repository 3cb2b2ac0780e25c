/// A fingerprint of a list of labelled files: how many, and the FNV-1a 64 hash of the lines
/// `<class name>/<path below the dataset root>\n` in list order. A checkpoint records the one of
/// its training list, so that `reslab eval` can tell whether a folder's training split is the one
/// the model saw (same files under the same class names) without storing every name. It is a
/// check against mix-ups, not against deliberate collisions.
public struct FileListDigest: Equatable, Sendable, CustomStringConvertible {
    public var count: Int
    /// 16 hex digits.
    public var hash: String

    public init(count: Int, hash: String) {
        self.count = count
        self.hash = hash
    }

    /// The digest of `samples` under `root`, whose labels index `classNames`.
    public init(_ samples: [Sample], root: String, classNames: [String]) {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for sample in samples {
            for byte in (classNames[sample.label] + "/" + pathBelow(root, sample.path) + "\n").utf8 {
                value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        let hex = String(value, radix: 16)
        self.init(count: samples.count, hash: String(repeating: "0", count: 16 - hex.count) + hex)
    }

    /// `"1234 files, fnv1a64 0123456789abcdef"`, the form checkpoints store; `init(parsing:)` reads it back.
    public var description: String { "\(count) files, fnv1a64 \(hash)" }

    public init?(parsing text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 4, parts[1] == "files,", parts[2] == "fnv1a64", let count = Int(parts[0]),
              parts[3].count == 16, parts[3].allSatisfy(\.isHexDigit) else { return nil }
        self.init(count: count, hash: String(parts[3]))
    }
}

/// `path` relative to the dataset folder `root` (`cat/01.png` for `root/cat/01.png`); a path
/// outside `root` is returned whole. Predictions files and digests name images this way.
public func pathBelow(_ root: String, _ path: String) -> String {
    path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
}
