import Foundation

/// Paths to the project's fixtures and to the shared datasets beside the checkout.
public enum Fixtures {
    /// The package root, found from this file's location (Tests/TestSupport/Fixtures.swift).
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/<relative>` inside the package.
    public static func path(_ relative: String) -> String {
        packageRoot.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// `../shared/datasets` beside the checkout, or `nil` when it is absent (a user's fresh clone).
    /// `RESLAB_SHARED_DATASETS` overrides the location.
    public static var sharedDatasets: String? {
        let path = ProcessInfo.processInfo.environment["RESLAB_SHARED_DATASETS"]
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The sentence a test prints when it skips for want of the shared datasets.
    public static let sharedDatasetsMissing =
        "skipped: ../shared/datasets is not beside this checkout (set RESLAB_SHARED_DATASETS to its path to run this test)"
}
