import ImageIO

/// What `reslab inspect` reports about an image folder: classes and counts per split, image
/// sizes, formats and grayscale share, and every file left out with its reason.
public struct DatasetSummary: Sendable {
    /// Width and height of an image in pixels.
    public struct Size: Sendable, Hashable, Comparable {
        public var width: Int
        public var height: Int

        public static func < (a: Size, b: Size) -> Bool { (a.width, a.height) < (b.width, b.height) }
    }

    public var root: String
    public var split: ImageFolder.Split
    public var classNames: [String]
    /// Decodable images per class (indexed like `classNames`) in the training and test splits.
    public var trainCounts: [Int]
    public var testCounts: [Int]
    /// How many decodable images have each exact size.
    public var sizeCounts: [Size: Int]
    public var formatCounts: [ImageFormat: Int]
    /// Images stored with one channel (gray PNG, or gray JPEG).
    public var grayscaleCount: Int
    /// Files left out while scanning or decoding, in path order.
    public var skipped: [SkippedFile]

    public var imageCount: Int { trainCounts.reduce(0, +) + testCounts.reduce(0, +) }
}

/// Scans `root` like `ImageFolder.load` and decodes every image on `threadCount` threads (keeping
/// only its size, format and channel count) to summarise the dataset. Files that fail to decode
/// are counted out and listed in `skipped`.
public func inspectImageFolder(root: String, testFraction: Double = 0.2, seed: UInt64 = 0,
                               options: DecodeOptions = DecodeOptions(), threadCount: Int = 2) throws -> DatasetSummary {
    let folder = try ImageFolder.load(root: root, testFraction: testFraction, seed: seed)
    let samples = folder.train + folder.test
    let facts = parallelMap(samples.count, threadCount: threadCount) { index in
        Result<(ImageFormat, DatasetSummary.Size, Bool), Error> {
            let path = samples[index].path
            let bytes = try readBytes(atPath: path)
            let image = try decodeImage(bytes, name: path, options: options)
            return (ImageFormat(sniffing: bytes)!, DatasetSummary.Size(width: image.width, height: image.height), image.isGrayscale)
        }
    }
    var summary = DatasetSummary(
        root: root, split: folder.split, classNames: folder.classNames,
        trainCounts: Array(repeating: 0, count: folder.classNames.count),
        testCounts: Array(repeating: 0, count: folder.classNames.count),
        sizeCounts: [:], formatCounts: [:], grayscaleCount: 0, skipped: folder.skipped)
    for (index, (sample, result)) in zip(samples, facts).enumerated() {
        switch result {
        case let .success((format, size, grayscale)):
            if index < folder.train.count { summary.trainCounts[sample.label] += 1 } else { summary.testCounts[sample.label] += 1 }
            summary.sizeCounts[size, default: 0] += 1
            summary.formatCounts[format, default: 0] += 1
            if grayscale { summary.grayscaleCount += 1 }
        case let .failure(error):
            summary.skipped.append(SkippedFile(path: sample.path, reason: "\(error)"))
        }
    }
    summary.skipped.sort { $0.path < $1.path }
    return summary
}
