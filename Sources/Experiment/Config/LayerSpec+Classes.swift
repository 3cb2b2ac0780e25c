import NN

/// The word `classes` in an experiment file's layer lines stands for the class count (`dense
/// classes`): written in before NN parses them (2 when only the layers' kinds and geometry
/// matter, as in validation before the data is read).
private func writingClasses(_ classes: Int, into line: String) -> String {
    line.replacingOccurrences(of: "classes", with: String(classes))
}

extension LayerSpec {
    /// One layer line of an experiment file, `classes` written in.
    init(experimentLine line: String, classes: Int = 2) throws {
        try self.init(parsing: writingClasses(classes, into: line))
    }
}

extension ModelSpec {
    /// The layer lines of an experiment file, `classes` written in.
    init(experimentLines lines: [String], classes: Int = 2) throws {
        try self.init(parsing: lines.map { writingClasses(classes, into: $0) })
    }
}
