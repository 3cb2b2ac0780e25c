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

    /// Why a test skips for want of the shared datasets.
    public static let sharedDatasetsMissing =
        "../shared/datasets is not beside this checkout (set RESLAB_SHARED_DATASETS to its path to run this test)"

    /// Prints the line of a test that returns early because something it needs is absent:
    /// `skipped: <file>.<test>: <why>`, e.g. `skipped: ImageFolderTests.sharedCIFAR10…(): …`.
    /// Swift Testing counts such a test as passed; `scripts/test.sh` lists these lines by test
    /// name and takes them out of the passed count.
    public static func skip(_ reason: String, file: String = #fileID, function: String = #function) {
        let suite = file.split(separator: "/").last.map { String($0.dropLast(".swift".count)) } ?? file
        print("skipped: \(suite).\(function): \(reason)")
    }
}
