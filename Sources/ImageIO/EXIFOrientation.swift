/// The EXIF orientation tag (0x0112) of a JPEG: how the stored pixels must be flipped or rotated
/// to show the picture upright. Values follow the EXIF 2.3 spec (section 4.6.4, table 3);
/// `Image.transformed(by:)` applies them as Pillow's `ImageOps.exif_transpose` does.
enum EXIFOrientation: UInt16, CaseIterable {
    case up = 1, mirrored = 2, upsideDown = 3, mirroredUpsideDown = 4
    case transposed = 5, rotatedLeft = 6, transverse = 7, rotatedRight = 8

    /// Reads the orientation from the first APP1 "Exif" segment before the image data.
    /// Anything missing, truncated, out of range or malformed gives `.up`: EXIF is advisory, and
    /// garbage in it must never stop a decode.
    init(jpeg bytes: [UInt8]) {
        self = Self.findTIFF(inJPEG: bytes).flatMap(Self.orientation(inTIFF:)).flatMap(Self.init(rawValue:)) ?? .up
    }

    /// The TIFF structure inside the first APP1 segment that starts with "Exif\0\0", found by
    /// walking the marker segments from SOI up to SOS (FF DA), where entropy-coded data starts.
    static func findTIFF(inJPEG bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let exifHeader: [UInt8] = Array("Exif".utf8) + [0, 0]
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }                               // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue } // no length
            if marker == 0xDA || marker == 0xD9 { return nil }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            let body = bytes[(offset + 4)..<end]
            if marker == 0xE1, body.starts(with: exifHeader) {
                return body.dropFirst(exifHeader.count)
            }
            offset = end
        }
        return nil
    }

    /// The orientation value in IFD0 of a TIFF structure: byte order "II" (little-endian) or
    /// "MM" (big-endian), the magic 42, the IFD0 offset, then 12-byte entries
    /// (tag, type, count, value). The tag may be SHORT (type 3) or LONG (type 4).
    static func orientation(inTIFF tiff: ArraySlice<UInt8>) -> UInt16? {
        let data = Array(tiff)
        guard data.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (data[0], data[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func read(_ offset: Int, _ size: Int) -> Int? {
            guard offset >= 0, offset + size <= data.count else { return nil }
            let bytes = data[offset..<(offset + size)]
            return (littleEndian ? bytes.reversed() : Array(bytes)).reduce(0) { $0 << 8 | Int($1) }
        }
        guard read(2, 2) == 42, let ifd = read(4, 4), let entries = read(ifd, 2) else { return nil }
        for entry in 0..<entries {
            let at = ifd + 2 + 12 * entry
            guard let tag = read(at, 2), let type = read(at + 2, 2) else { return nil }
            guard tag == 0x0112 else { continue }
            switch type {
            case 3: return read(at + 8, 2).map { UInt16(truncatingIfNeeded: $0) }
            case 4: return read(at + 8, 4).flatMap { UInt16(exactly: $0) }
            default: return nil
            }
        }
        return nil
    }
}
