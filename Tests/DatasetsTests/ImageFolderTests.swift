import Foundation
import Testing
import TestSupport
@testable import Datasets

@Suite struct ImageFolderTests {
    let tiny = Fixtures.path("tiny-folder")

    @Test func tinyFolderIsSplitPerClassBySeededShuffle() throws {
        let folder = try ImageFolder.load(root: tiny, testFraction: 0.25, seed: 7)
        #expect(folder.classNames == ["circle", "square", "triangle"])
        #expect(folder.split == .stratified(fraction: 0.25, seed: 7))
        for label in 0..<3 {
            // 16 images per class (triangle also has truncated.jpg, found only when decoding).
            let total = label == 2 ? 17 : 16
            #expect(folder.test.filter { $0.label == label }.count == Int((Double(total) * 0.25).rounded()))
            #expect(folder.train.filter { $0.label == label }.count + folder.test.filter { $0.label == label }.count == total)
        }
        #expect(Set(folder.train).isDisjoint(with: folder.test))
        #expect(folder.train.map(\.path) == folder.train.map(\.path).sorted())
    }

    @Test func splitIsDeterministicAndDependsOnTheSeed() throws {
        let first = try ImageFolder.load(root: tiny, testFraction: 0.25, seed: 7)
        let again = try ImageFolder.load(root: tiny, testFraction: 0.25, seed: 7)
        let other = try ImageFolder.load(root: tiny, testFraction: 0.25, seed: 8)
        #expect(first.test == again.test)
        #expect(first.test != other.test)
    }

    @Test func hiddenFilesAreIgnoredAndNonImagesSkippedWithReason() throws {
        let folder = try ImageFolder.load(root: tiny)
        #expect(folder.skipped == [SkippedFile(path: tiny + "/square/notes.png",
                                               reason: "it is not a PNG or JPEG file (judged by its first bytes)")])
        #expect(!(folder.train + folder.test).contains { $0.path.contains(".DS_Store") })
    }

    @Test func trainAndValFoldersAreTheSplits() throws {
        let root = try TemporaryFolder(files: ["train/b/1.png", "train/a/1.png", "train/a/2.png", "val/a/3.png", "val/b/4.png",
                                               "train/stray.png", "test/a/5.png", "notes.txt"])
        let folder = try ImageFolder.load(root: root.path, testFraction: 0.5)
        #expect(folder.split == .folders(test: "val"))
        #expect(folder.classNames == ["a", "b"])
        #expect(folder.train == [Sample(path: root.path + "/train/a/1.png", label: 0),
                                 Sample(path: root.path + "/train/a/2.png", label: 0),
                                 Sample(path: root.path + "/train/b/1.png", label: 1)])
        #expect(folder.test.map(\.label) == [0, 1])
        #expect(folder.skipped == [
            SkippedFile(path: root.path + "/notes.txt", reason: "it lies outside the train/ and val/ folders"),
            SkippedFile(path: root.path + "/test", reason: "it lies outside the train/ and val/ folders"),
            SkippedFile(path: root.path + "/train/stray.png", reason: "it lies outside any class folder"),
        ])
    }

    @Test func layoutProblemsAreSentencesSayingWhatWasExpected() throws {
        let noClasses = try TemporaryFolder(files: ["loose.png"])
        #expect(throws: DatasetError.noClasses(folder: noClasses.path)) { try ImageFolder.load(root: noClasses.path) }
        let empty = try TemporaryFolder(files: ["cats/1.png", "dogs/readme.txt"])
        #expect(throws: DatasetError.emptyClass(name: "dogs", folder: empty.path)) { try ImageFolder.load(root: empty.path) }
        let noVal = try TemporaryFolder(files: ["train/a/1.png"])
        #expect(throws: DatasetError.missingTestSplit(root: noVal.path)) { try ImageFolder.load(root: noVal.path) }
        #expect("\(DatasetError.noClasses(folder: "/data"))" ==
            "/data holds no class folders; expected either ROOT/<class>/<image> (split by a test fraction) or ROOT/train/<class>/<image> with ROOT/val/<class>/<image> (or ROOT/test/...).")
    }

    @Test func sharedCIFAR10Has5000TrainAnd1000TestImagesPerClass() throws {
        guard let root = try Fixtures.unpackedDataset("cifar10.tar.gz") else {
            Fixtures.skip(Fixtures.sharedDatasetsMissing)
            return
        }
        let folder = try ImageFolder.load(root: root)
        #expect(folder.classNames.count == 10)
        #expect(folder.split == .folders(test: "test"))
        for label in 0..<10 {
            #expect(folder.train.filter { $0.label == label }.count == 5000)
            #expect(folder.test.filter { $0.label == label }.count == 1000)
        }
        #expect(folder.skipped.isEmpty)
    }
}

/// A temporary folder holding tiny PNG files at the given relative paths ("*.txt" get text);
/// removed when the value is released.
final class TemporaryFolder {
    let path: String

    init(files: [String]) throws {
        path = NSTemporaryDirectory() + "reslab-datasets-test-" + UUID().uuidString
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for file in files {
            let url = URL(fileURLWithPath: path + "/" + file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.hasSuffix(".txt") ? Array("text".utf8) : png).write(to: url)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
