import CImageShim
import CJPEG

/// A warning libjpeg raised while decoding (it went on, possibly filling grey).
struct JPEGWarning: Equatable {
    /// The libjpeg message code (`J_MESSAGE_CODE`).
    var code: Int32
    /// libjpeg's text of its first occurrence.
    var message: String

    /// Whether the warning makes the decode an error. Decided file by file against the reference
    /// decodes in `conformance/jpeg/reference` (docs/imageio.md, "JPEG warnings"):
    /// - always fatal: the file ends early (`JWRN_JPEG_EOF`, every truncated file raises it),
    ///   Huffman data that runs into the end-of-image marker (`RL_JPEG_DATA_ENDS_AT_EOI`: a file
    ///   cut short with EOI written after the cut, progressive ones included), corrupt
    ///   entropy-coded data (bad Huffman or arithmetic code) and a resync after corrupt data
    ///   (`JWRN_MUST_RESYNC`): libjpeg fills the missing blocks with grey;
    /// - fatal in sequential files only: a data segment that ends before its scan is complete
    ///   (`JWRN_HIT_MARKER`). In a sequential file the rest of the image is grey; in a progressive
    ///   file a later scan that stops short only leaves coarser coefficients (jd_partial_progressive
    ///   decodes exactly to its reference);
    /// - accepted: extraneous bytes before a marker (jd_extraneous-data, jd_mjpeg, Pillow's junk
    ///   headers: pixels intact), an inconsistent progression sequence (jd_progressive-missing-dc,
    ///   exact), and unknown JFIF revisions, Adobe transforms or bad ICC markers (metadata only).
    func isFatal(progressive: Bool) -> Bool {
        var fatal: [J_MESSAGE_CODE] = [JWRN_JPEG_EOF, JWRN_HUFF_BAD_CODE, JWRN_ARITH_BAD_CODE, JWRN_MUST_RESYNC]
        if !progressive { fatal.append(JWRN_HIT_MARKER) }
        return code == RL_JPEG_DATA_ENDS_AT_EOI || fatal.contains { Int32($0.rawValue) == code }
    }

    /// The distinct warnings recorded in `messages`, in order of first appearance.
    static func all(in messages: rl_messages) -> [JPEGWarning] {
        let count = Int(messages.distinct_warning_count)
        let codes = withUnsafeBytes(of: messages.warning_codes) { Array($0.bindMemory(to: Int32.self).prefix(count)) }
        return withUnsafeBytes(of: messages.warning_messages) { texts in
            codes.enumerated().map { index, code in
                let text = texts[(index * Int(RL_MESSAGE_SIZE))..<((index + 1) * Int(RL_MESSAGE_SIZE))]
                return JPEGWarning(code: code, message: String(decoding: text.prefix { $0 != 0 }, as: UTF8.self))
            }
        }
    }
}

/// The `ImageIOError` for a failed libjpeg call: variants libjpeg-turbo cannot decode (12-bit,
/// lossless or hierarchical JPEG; arithmetic coding when not compiled in) are `unsupported`,
/// the rest `corrupt`.
func jpegError(_ messages: rl_messages, file: String) -> ImageIOError {
    let text = string(fromCBuffer: messages.error)
    switch messages.error_code {
    case Int32(JERR_BAD_PRECISION.rawValue):
        return .unsupported(file: file, reason: "it has 12-bit or 16-bit samples (\(text)); only 8-bit JPEG is supported")
    case Int32(JERR_SOF_UNSUPPORTED.rawValue):
        return .unsupported(file: file, reason: "it is a lossless or hierarchical JPEG (\(text)); only baseline, extended and progressive JPEG are supported")
    case Int32(JERR_ARITH_NOTIMPL.rawValue):
        return .unsupported(file: file, reason: "it uses arithmetic coding, which this libjpeg was built without (\(text))")
    default:
        return .corrupt(file: file, reason: text)
    }
}
