import Foundation

/// The two limits on what reslab reads, each with a default far above real use and far below
/// what takes the machine down, and each changeable by the user: the environment variable
/// (`RESLAB_MAX_PIXELS=200000000 reslab run …`) or the command's option (`--max-pixels`, which
/// sets the variable for that command). The value is read where it is used
/// (`DecodeOptions.defaultMaxPixels`, `ImageFolder.defaultFileLimit`), so one setting reaches
/// every decoder and folder scan of the process.
public enum InputLimit: String, CaseIterable, Sendable {
    /// Width × height of one image, decoded or made (Pillow's `Image.MAX_IMAGE_PIXELS`,
    /// 89,478,485: a crafted header cannot ask for gigabytes).
    case pixels = "RESLAB_MAX_PIXELS"
    /// Files and folders one dataset scan visits (ImageNet has 1.3 million files; a walk of
    /// more than 5 million entries runs for hours).
    case files = "RESLAB_MAX_FILES"

    /// The built-in value.
    public var defaultValue: Int {
        switch self {
        case .pixels: return 89_478_485
        case .files: return 5_000_000
        }
    }

    /// The largest value accepted: 2⁴⁰ keeps every byte count derived from it (pixels × 4
    /// channels × 4 bytes) far from overflowing an `Int`.
    public static let largest = 1 << 40

    /// The command-line option that sets it.
    public var option: String {
        switch self {
        case .pixels: return "--max-pixels"
        case .files: return "--max-files"
        }
    }

    /// How a refusal tells the user to raise it: "raise the limit with --max-pixels N (or
    /// RESLAB_MAX_PIXELS=N)".
    public var howToRaise: String { "raise the limit with \(option) N (or \(rawValue)=N)" }

    /// The value in force: the environment variable's when it holds a valid count, else the default.
    public var value: Int {
        guard let text = environmentText, let parsed = Int(text), (1...Self.largest).contains(parsed) else { return defaultValue }
        return parsed
    }

    /// Why the environment variable cannot be used, or nil (unset or valid).
    public var problem: String? {
        guard let text = environmentText else { return nil }
        if let parsed = Int(text), (1...Self.largest).contains(parsed) { return nil }
        return "\(rawValue)=\(text) is not a count from 1 to \(Self.largest); unset it for the default (\(defaultValue)) or give a whole number."
    }

    /// Sets the limit for the rest of this process (and the processes it starts). Call it
    /// before any thread reads it: the environment is not thread-safe to change.
    public func set(_ value: Int) {
        precondition((1...Self.largest).contains(value), "\(rawValue) must be checked before it is set")
        setenv(rawValue, String(value), 1)
    }

    private var environmentText: String? {
        getenv(rawValue).map { String(cString: $0) }
    }
}
