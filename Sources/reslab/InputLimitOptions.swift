import ArgumentParser
import ImageIO

/// `--max-pixels`, for every command that decodes or makes images: sets `InputLimit.pixels`
/// (the same as the environment variable) for this command.
struct PixelLimitOption: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Largest width × height of an image (default \(InputLimit.pixels.defaultValue), or RESLAB_MAX_PIXELS).",
        valueName: "pixels"))
    var maxPixels: Int?

    func validate() throws { try InputLimit.pixels.validate(option: maxPixels) }

    /// The limit in force for this command: the option's, else the environment's or the default.
    var value: Int { maxPixels ?? InputLimit.pixels.value }

    /// Puts the option in force; call first in `run()`, before any thread starts.
    func apply() {
        if let maxPixels { InputLimit.pixels.set(maxPixels) }
    }
}

/// `--max-pixels` and `--max-files`, for every command that decodes images and scans a dataset
/// folder: each sets its `InputLimit` (the same as the environment variable) for this command.
struct InputLimitOptions: ParsableArguments {
    @OptionGroup var pixels: PixelLimitOption

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Files and folders a dataset scan visits at most (default \(InputLimit.files.defaultValue), or RESLAB_MAX_FILES).",
        valueName: "count"))
    var maxFiles: Int?

    func validate() throws { try InputLimit.files.validate(option: maxFiles) }

    /// Puts the options in force; call first in `run()`, before any thread starts.
    func apply() {
        pixels.apply()
        if let maxFiles { InputLimit.files.set(maxFiles) }
    }
}

extension InputLimit {
    /// Refuses an option value outside 1...`largest`, or, without the option, an environment
    /// variable that holds no such count.
    func validate(option value: Int?) throws {
        if let value, !(1...Self.largest).contains(value) {
            throw ValidationError("\(option) must be a count from 1 to \(Self.largest), not \(value).")
        }
        if value == nil, let problem { throw ValidationError(problem) }
    }
}
