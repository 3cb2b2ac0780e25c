import ArgumentParser

/// `--memory-gib`, for every command that trains or tests a model at sizes the user chose (run,
/// train, eval, remedy): one limit for the memory estimate (`MemoryEstimate`, refused before
/// anything starts) and for the cache of decoded images and resized tensors.
struct MemoryOption: ParsableArguments {
    @Option(parsing: .unconditional, help: "GiB of memory the command may use: a model whose training or testing needs more is refused before it starts, and decoded images and resized tensors beyond it stream from disk (default: refuse above 3/4 of physical memory, cache up to 4 GiB).")
    var memoryGib: Double?

    func validate() throws {
        if let memoryGib, !(memoryGib > 0 && memoryGib <= 1_048_576) {
            throw ValidationError("--memory-gib must be a positive number of GiB, at most 1048576, not \(memoryGib).")
        }
    }

    /// The limit in bytes, nil when the option was not given (the defaults apply).
    var bytes: Int? { memoryGib.map { Int($0 * Double(1 << 30)) } }
}
