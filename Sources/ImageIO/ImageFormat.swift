/// The container formats reslab reads, recognised by their first bytes.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg

    /// The 8-byte PNG signature: \x89 P N G CR LF SUB LF.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG starts with `pngSignature`; JPEG with the SOI marker FF D8 FF.
    public init?(sniffing bytes: some Collection<UInt8>) {
        let head = Array(bytes.prefix(8))
        if head == Self.pngSignature {
            self = .png
        } else if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// True when 6 or 7 of the first 8 bytes match the PNG signature: a PNG whose signature was
    /// damaged, typically by a text-mode transfer that rewrote CR/LF (PngSuite `xcrn`, `xlfn`).
    static func hasDamagedPNGSignature(_ bytes: some Collection<UInt8>) -> Bool {
        let head = Array(bytes.prefix(8))
        let matching = zip(head, pngSignature).filter { $0 == $1 }.count
        return head.count == 8 && (6...7).contains(matching)
    }
}
