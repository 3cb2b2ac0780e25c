import ArgumentParser
import ImageIO

/// `--max-pixels` and `--max-files`, for every command that decodes images or scans a dataset
/// folder: each sets its `InputLimit` (the same as the environment variable) for this command.
struct InputLimitOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Largest width × height of an image (default \(InputLimit.pixels.defaultValue), or RESLAB_MAX_PIXELS).",
        valueName: "pixels"))
    var maxPixels: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Files and folders a dataset scan visits at most (default \(InputLimit.files.defaultValue), or RESLAB_MAX_FILES).",
        valueName: "count"))
    var maxFiles: Int?

    func validate() throws {
        for (limit, value) in [(InputLimit.pixels, maxPixels), (.files, maxFiles)] {
            if let value, !(1...InputLimit.largest).contains(value) {
                throw ValidationError("\(limit.option) must be a count from 1 to \(InputLimit.largest), not \(value).")
            }
            if value == nil, let problem = limit.problem { throw ValidationError(problem) }
        }
    }

    /// Puts the options in force; call first in `run()`, before any thread starts.
    func apply() {
        if let maxPixels { InputLimit.pixels.set(maxPixels) }
        if let maxFiles { InputLimit.files.set(maxFiles) }
    }
}
