/// One labelled image file of a dataset: `label` indexes `ImageFolder.classNames`.
public struct Sample: Sendable, Hashable {
    public var path: String
    public var label: Int

    public init(path: String, label: Int) {
        self.path = path
        self.label = label
    }
}

/// A file that was left out of a dataset, and why (a sentence, e.g. "not a PNG or JPEG file").
public struct SkippedFile: Sendable, Hashable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
