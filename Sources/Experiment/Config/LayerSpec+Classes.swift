import NN

extension LayerSpec {
    /// A layer line of an experiment file, where the word `classes` stands for the class count
    /// (`dense classes`): parsed with `classes` written in (2 when only the layer's kind and
    /// geometry matter, as in validation before the data is read).
    init(experimentLine line: String, classes: Int = 2) throws {
        try self.init(parsing: line.replacingOccurrences(of: "classes", with: String(classes)))
    }
}
