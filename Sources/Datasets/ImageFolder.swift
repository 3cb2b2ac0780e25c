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

    /// Scans `root` (see the type's description for the layouts). `testFraction` and `seed` are
    /// used only when the root has no `train/` folder.
    public static func load(root: String, testFraction: Double = 0.2, seed: UInt64 = 0) throws -> ImageFolder {
        guard (0..<1).contains(testFraction) else { throw DatasetError.invalidTestFraction(testFraction) }
        guard isFolder(root) else { throw DatasetError.notAFolder(path: root) }
        let top = visibleEntries(of: root)
        if top.contains("train") && isFolder(root + "/train") {
            guard let testName = ["val", "test"].first(where: { top.contains($0) && isFolder(root + "/" + $0) }) else {
                throw DatasetError.missingTestSplit(root: root)
            }
            let trainScan = try scanClasses(in: root + "/train")
            let testScan = try scanClasses(in: root + "/" + testName)
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
        let scan = try scanClasses(in: root)
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
    var files: [String: [String]] = [:]
    var skipped: [SkippedFile] = []
}

/// Lists `folder/<class>/**` in sorted order. Files directly in `folder` are skipped.
private func scanClasses(in folder: String) throws -> ClassScan {
    var scan = ClassScan()
    for name in visibleEntries(of: folder) {
        let path = folder + "/" + name
        if isFolder(path) {
            scan.files[name] = imageFiles(under: path, skipped: &scan.skipped)
        } else {
            scan.skipped.append(SkippedFile(path: path, reason: "it lies outside any class folder"))
        }
    }
    guard !scan.files.isEmpty else { throw DatasetError.noClasses(folder: folder) }
    return scan
}

/// Image files under `folder`, recursively, in sorted order; others are appended to `skipped`.
private func imageFiles(under folder: String, skipped: inout [SkippedFile]) -> [String] {
    var found: [String] = []
    for name in visibleEntries(of: folder) {
        let path = folder + "/" + name
        if isFolder(path) {
            found += imageFiles(under: path, skipped: &skipped)
        } else {
            switch sniffFile(atPath: path) {
            case .success: found.append(path)
            case let .failure(reason): skipped.append(SkippedFile(path: path, reason: reason.sentence))
            }
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

/// Sorted names in `folder`, without hidden entries (names starting with ".").
func visibleEntries(of folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
}

func isFolder(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}
