/// A failure of a command's own work (not of its arguments), printed as its sentence alone,
/// without the usage text that ArgumentParser adds to a `ValidationError`.
struct CommandError: Error, CustomStringConvertible {
    var description: String
}
