import NN

extension ModelZoo {
    /// The zoo model `name` as the complete classifier graph for `classes` classes (the network
    /// `reslab run` trains for it), or nil for a name the zoo does not have.
    public static func classifierGraph(_ name: String, classes: Int) throws -> GraphSpec? {
        switch model(name) {
        case let .layers(layers)?:
            return GraphSpec(chain: try ModelSpec(parsing: layers).classifier(classes: classes))
        case let .graph(entries)?:
            return try GraphEntry.graph(entries, classes: classes).classifier(classes: classes)
        case nil:
            return nil
        }
    }
}
