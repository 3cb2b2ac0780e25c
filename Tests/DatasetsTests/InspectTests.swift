import Testing
import TestSupport
import ImageIO
@testable import Datasets

@Suite struct InspectTests {
    @Test func tinyFolderSummary() throws {
        let root = Fixtures.path("tiny-folder")
        let summary = try inspectImageFolder(root: root, testFraction: 0.25, seed: 3)
        #expect(summary.classNames == ["circle", "square", "triangle"])
        #expect(zip(summary.trainCounts, summary.testCounts).map(+) == [16, 16, 16])
        #expect(summary.testCounts == [4, 4, 4] || summary.testCounts == [4, 4, 3])   // truncated.jpg may fall in test
        #expect(summary.formatCounts == [.png: 36, .jpeg: 12])
        #expect(summary.grayscaleCount == 6)
        #expect(summary.sizeCounts.keys.map(\.width).min() == 24 && summary.sizeCounts.keys.map(\.width).max() == 40)
        #expect(summary.skipped.map(\.path) == [root + "/square/notes.png", root + "/triangle/truncated.jpg"])
    }

    @Test func textListsClassesSizesFormatsAndSkippedFiles() throws {
        let root = Fixtures.path("tiny-folder")
        let lines = try inspectImageFolder(root: root, seed: 0).text.components(separatedBy: "\n")
        #expect(lines[0] == "\(root): 3 classes, 48 images (39 train, 9 test), 2 skipped; split per class with test fraction 0.2, seed 0")
        #expect(lines[2] == "class      train    test")
        #expect(lines[3] == "circle        13       3")
        #expect(lines.contains("Width  min 24, median 31, max 40"))
        #expect(lines.contains("            16–31      27  ########################################"))
        #expect(lines.contains("Formats: PNG 36 (75.0%), JPEG 12 (25.0%); grayscale 6 (12.5%)"))
        #expect(lines.last == "  \(root)/triangle/truncated.jpg is damaged and was refused: Invalid JPEG file structure: missing SOS marker.")
    }

    /// The shared archives, unpacked once: the published class counts, with nothing skipped.
    @Test(arguments: [
        ("cifar10.tar.gz", Array(repeating: 5000, count: 10), Array(repeating: 1000, count: 10)),
        ("mnist.tar.gz", [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
         [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]),
        ("imagenette-small.tar", Array(repeating: 800, count: 10), Array(repeating: 200, count: 10)),
    ])
    func sharedDatasetCounts(archive: String, train: [Int], test: [Int]) throws {
        guard let root = try Fixtures.unpackedDataset(archive) else { Fixtures.skip(Fixtures.sharedDatasetsMissing); return }
        let summary = try inspectImageFolder(root: root)
        #expect(summary.trainCounts == train)
        #expect(summary.testCounts == test)
        #expect(summary.skipped.isEmpty, "\(summary.skipped.prefix(3))")
        if archive.hasPrefix("mnist") {
            #expect(summary.grayscaleCount == summary.imageCount && summary.sizeCounts == [.init(width: 28, height: 28): 70000])
        }
        if archive.hasPrefix("imagenette") {
            #expect(summary.sizeCounts == [.init(width: 224, height: 224): 10000])
            print("Imagenette grayscale share: \(summary.grayscaleCount) of \(summary.imageCount)")
        }
    }
}
