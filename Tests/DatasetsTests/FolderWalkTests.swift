import Foundation
import Testing
@testable import Datasets

/// Safe folder walking (issue #19): links back into the tree, FIFOs named like images, and a
/// bound on the number of entries.
@Suite struct FolderWalkTests {
    let classes = ["a/1.png", "a/2.png", "b/3.png", "b/4.png", "b/5.png"]

    /// `ln -s . a/loop` once multiplied 4 images into 164 samples; now the loop is skipped.
    @Test func aLinkToItsOwnFolderAddsNoSamples() throws {
        let root = try TemporaryFolder(files: classes)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/loop", withDestinationPath: ".")
        let folder = try ImageFolder.load(root: root.path, testFraction: 0)
        #expect(folder.train.count == 5)
        #expect(folder.skipped.map(\.path) == [root.path + "/a/loop"])
        #expect(folder.skipped[0].reason == "it leads to a folder that is scanned elsewhere (a link cycle, or a second link to one folder)")
    }

    /// `ln -s .. a/up` once labelled every image of class b as a (and left b empty).
    @Test func aLinkToTheRootRelabelsNothing() throws {
        let root = try TemporaryFolder(files: classes)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/up", withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/sibling", withDestinationPath: "../b")
        let folder = try ImageFolder.load(root: root.path, testFraction: 0)
        #expect(folder.classNames == ["a", "b"])
        #expect(folder.train.filter { $0.label == 0 }.map { ($0.path as NSString).lastPathComponent } == ["1.png", "2.png"])
        #expect(folder.train.filter { $0.label == 1 }.count == 3)
        #expect(Set(folder.skipped.map(\.path)) == [root.path + "/a/up", root.path + "/a/sibling"])
    }

    /// A link to a folder outside the tree is followed once: it is an ordinary way to assemble
    /// a dataset from elsewhere.
    @Test func aLinkToAFolderOutsideIsFollowedOnce() throws {
        let root = try TemporaryFolder(files: classes)
        let outside = try TemporaryFolder(files: ["x/6.png", "x/7.png"])
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/more", withDestinationPath: outside.path + "/x")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/a/again", withDestinationPath: outside.path + "/x")
        let folder = try ImageFolder.load(root: root.path, testFraction: 0)
        #expect(folder.train.filter { $0.label == 0 }.count == 4)
        #expect(folder.skipped.map(\.path) == [root.path + "/a/more"])   // "again" sorts first and is followed
    }

    /// A FIFO named x.png blocked the scan in open(2), ignoring SIGTERM; now it is never opened.
    @Test func aFIFONamedLikeAnImageIsSkippedUnopened() throws {
        let root = try TemporaryFolder(files: classes)
        #expect(mkfifo(root.path + "/b/x.png", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/b/gone.png", withDestinationPath: root.path + "/nothing")
        let folder = try ImageFolder.load(root: root.path, testFraction: 0)
        #expect(folder.train.count == 5)
        #expect(folder.skipped == [
            SkippedFile(path: root.path + "/b/gone.png", reason: "it is a link to nothing (its target does not exist)"),
            SkippedFile(path: root.path + "/b/x.png", reason: "it is not a regular file (a FIFO, socket or device), so it was not opened"),
        ])
    }

    @Test func anEmptyFileIsNamedAsEmpty() throws {
        let root = try TemporaryFolder(files: classes)
        _ = FileManager.default.createFile(atPath: root.path + "/a/empty.png", contents: Data())
        let folder = try ImageFolder.load(root: root.path, testFraction: 0)
        #expect(folder.skipped == [SkippedFile(path: root.path + "/a/empty.png", reason: "it is empty (0 bytes)")])
    }

    @Test func theScanStopsAtItsEntryLimit() throws {
        let root = try TemporaryFolder(files: classes)
        #expect(throws: DatasetError.tooManyFiles(folder: root.path + "/b", limit: 6)) {
            try ImageFolder.load(root: root.path, testFraction: 0, fileLimit: 6)
        }
        #expect(DatasetError.tooManyFiles(folder: "d/b", limit: 6).description
                == "The dataset holds more than 6 files and folders (the scan stopped in d/b); point the run at a smaller folder, split the dataset, or raise the limit with --max-files N (or RESLAB_MAX_FILES=N).")
        #expect(try ImageFolder.load(root: root.path, testFraction: 0, fileLimit: 7).train.count == 5)
    }
}
