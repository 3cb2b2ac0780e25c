import Foundation
import Testing
import TestSupport
@testable import Experiment

/// Every experiment file shipped in `experiments/` decodes and validates (its data folder aside:
/// users pass `--data`), and is named after its file, as the README's commands assume.
struct ShippedExperimentsTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("experiments").path

    @Test func everyShippedExperimentDecodes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 10, "experiments/ holds \(files)")
        for file in files {
            let path = Self.folder + "/" + file
            let config = try decodeExperiment(yaml: String(contentsOfFile: path, encoding: .utf8), file: path,
                                              defaultName: "unnamed", dataOverride: nil, checkFolder: false)
            #expect(config.name + ".yaml" == file)
        }
    }
}
