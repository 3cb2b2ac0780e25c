import Foundation
import ImageIO
import SeededRandom

/// A class-per-folder image dataset, as torchvision's `ImageFolder` reads it.
///
/// Two layouts are accepted:
/// - `root/train/<class>/…` with `root/val/<class>/…` (or `root/test/…`): those are the splits;
/// - `root/<class>/…`: every class is split, stratified, by `testFraction` with a seeded shuffle.
///
/// Class names are the sorted folder names (label = index). Files are listed in sorted order
/// (sub-folders of a class folder are included), hidden files and folders (".name") are ignored,
/// and files that are not PNG or JPEG by their magic bytes, or cannot be read, go to `skipped`
/// with a reason. Only the first bytes of each file are read here; decoding happens later
/// (`decodeSamples`), where broken images are skipped in turn.
public struct ImageFolder: Sendable {
    /// The folder that was scanned.
    public var root: String
    /// Sorted class folder names; a sample's `label` indexes this array.
    public var classNames: [String]
    /// Training samples, class by class, each class in sorted path order.
    public var train: [Sample]
    /// Test samples, in the same order.
    public var test: [Sample]
    /// Files left out while scanning, with their reasons, in path order.
    public var skipped: [SkippedFile]
    /// How the test split was made.
    public var split: Split

    /// Where the test samples come from.
    public enum Split: Sendable, Equatable {
        /// The root had `train/` and this folder (`val` or `test`).
        case folders(test: String)
        /// Each class was split by a seeded shuffle, `fraction` of it going to test.
        case stratified(fraction: Double, seed: UInt64)
    }

    /// Entries (files and folders) a scan visits at most before it stops with an error: 5,000,000
    /// unless `RESLAB_MAX_FILES` or `--max-files` changes it (`InputLimit.files`).
    public static var defaultFileLimit: Int { InputLimit.files.value }

    /// Scans `root` (see the type's description for the layouts). `testFraction` and `seed` are
    /// used only when the root has no `train/` folder. Every real folder is entered once (links
    /// back into the tree are skipped), only regular files are opened, and at most `fileLimit`
    /// entries are visited.
    public static func load(root: String, testFraction: Double = 0.2, seed: UInt64 = 0,
                            fileLimit: Int = defaultFileLimit) throws -> ImageFolder {
        guard (0..<1).contains(testFraction) else { throw DatasetError.invalidTestFraction(testFraction) }
        guard isFolder(root) else { throw DatasetError.notAFolder(path: root) }
        var walk = FolderWalk(limit: fileLimit)
        _ = walk.enter(root)
        let top = try walk.entries(of: root)
        if top.contains("train") && isFolder(root + "/train") {
            guard let testName = ["val", "test"].first(where: { top.contains($0) && isFolder(root + "/" + $0) }) else {
                throw DatasetError.missingTestSplit(root: root)
            }
            _ = walk.enter(root + "/train")
            _ = walk.enter(root + "/" + testName)
            // Both splits' class folders are claimed before either is walked, so that no link
            // inside one class can pull in another class's (or the other split's) images.
            var trainScan = try claimClasses(in: root + "/train", walk: &walk)
            var testScan = try claimClasses(in: root + "/" + testName, walk: &walk)
            try trainScan.fill(walk: &walk)
            try testScan.fill(walk: &walk)
            let classNames = Array(Set(trainScan.files.keys).union(testScan.files.keys)).sorted()
            for name in classNames where trainScan.files[name, default: []].isEmpty {
                throw DatasetError.emptyClass(name: name, folder: root + "/train")
            }
            let outside = top.filter { $0 != "train" && $0 != testName }.map {
                SkippedFile(path: root + "/" + $0, reason: "it lies outside the train/ and \(testName)/ folders")
            }
            return ImageFolder(
                root: root, classNames: classNames,
                train: samples(trainScan.files, classNames: classNames),
                test: samples(testScan.files, classNames: classNames),
                skipped: (outside + trainScan.skipped + testScan.skipped).sorted { $0.path < $1.path },
                split: .folders(test: testName))
        }
        var scan = try claimClasses(in: root, listed: top, walk: &walk)
        try scan.fill(walk: &walk)
        let classNames = scan.files.keys.sorted()
        for name in classNames where scan.files[name, default: []].isEmpty {
            throw DatasetError.emptyClass(name: name, folder: root)
        }
        var generator = SplitMix64(seed: seed)
        var train: [Sample] = [], test: [Sample] = []
        for (label, name) in classNames.enumerated() {
            let paths = scan.files[name]!
            // Round to the nearest count, but keep at least one training image per class.
            let testCount = min(Int((Double(paths.count) * testFraction).rounded()), paths.count - 1)
            let order = generator.permutation(paths.count)
            let testIndices = Set(order.prefix(testCount))
            for (index, path) in paths.enumerated() {
                let sample = Sample(path: path, label: label)
                if testIndices.contains(index) { test.append(sample) } else { train.append(sample) }
            }
        }
        return ImageFolder(root: root, classNames: classNames, train: train, test: test,
                           skipped: scan.skipped, split: .stratified(fraction: testFraction, seed: seed))
    }
}

/// The image files of each class folder in `folder`, and the files skipped on the way.
private struct ClassScan {
    /// Class name → its folder, claimed (entered) but not yet walked.
    var folders: [(name: String, path: String)] = []
    var files: [String: [String]] = [:]
    var skipped: [SkippedFile] = []

    /// Walks every claimed class folder: `folder/<class>/**` in sorted order.
    mutating func fill(walk: inout FolderWalk) throws {
        for (name, path) in folders {
            files[name] = try imageFiles(under: path, walk: &walk, skipped: &skipped)
        }
    }
}

/// The class folders of `folder` (whose entries are `listed` when the caller has read them),
/// each entered in `walk`. Files directly in `folder`, and links to folders already entered, are skipped.
private func claimClasses(in folder: String, listed: [String]? = nil, walk: inout FolderWalk) throws -> ClassScan {
    var scan = ClassScan()
    for name in try listed ?? walk.entries(of: folder) {
        let path = folder + "/" + name
        switch FolderWalk.kind(of: path) {
        case .folder:
            if walk.enter(path) {
                scan.folders.append((name, path))
                scan.files[name] = []
            } else {
                scan.skipped.append(SkippedFile(path: path, reason: alreadyScanned))
            }
        case .file:
            scan.skipped.append(SkippedFile(path: path, reason: "it lies outside any class folder"))
        case let .other(reason):
            scan.skipped.append(SkippedFile(path: path, reason: reason))
        }
    }
    guard !scan.folders.isEmpty else { throw DatasetError.noClasses(folder: folder) }
    return scan
}

private let alreadyScanned = "it leads to a folder that is scanned elsewhere (a link cycle, or a second link to one folder)"

/// Image files under `folder`, recursively, in sorted order; others are appended to `skipped`.
private func imageFiles(under folder: String, walk: inout FolderWalk, skipped: inout [SkippedFile]) throws -> [String] {
    var found: [String] = []
    for name in try walk.entries(of: folder) {
        let path = folder + "/" + name
        switch FolderWalk.kind(of: path) {
        case .folder:
            if walk.enter(path) {
                found += try imageFiles(under: path, walk: &walk, skipped: &skipped)
            } else {
                skipped.append(SkippedFile(path: path, reason: alreadyScanned))
            }
        case .file:
            switch sniffFile(atPath: path) {
            case .success: found.append(path)
            case let .failure(reason): skipped.append(SkippedFile(path: path, reason: reason.sentence))
            }
        case let .other(reason):
            skipped.append(SkippedFile(path: path, reason: reason))
        }
    }
    return found
}

/// Labelled samples, class by class in `classNames` order.
private func samples(_ files: [String: [String]], classNames: [String]) -> [Sample] {
    classNames.enumerated().flatMap { label, name in
        files[name, default: []].map { Sample(path: $0, label: label) }
    }
}

func isFolder(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}
