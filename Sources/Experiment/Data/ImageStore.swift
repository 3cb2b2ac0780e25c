import Datasets
import Foundation
import ImageIO

/// The images of one split with their labels: decoded once and kept in memory, or, when the
/// decoded split would exceed its share of the memory budget, re-decoded from disk per batch.
final class ImageStore: @unchecked Sendable {
    let labels: [Int]
    /// A name per image for predictions files: the path below the dataset root, or `test/17`.
    let names: [String]
    /// In-memory images (empty when streaming).
    private let images: [Image]
    /// Files to re-decode (empty when in memory).
    private let samples: [Sample]
    private let threads: Int
    /// The name of the first image stored in colour (3 channels), nil when every one is grayscale.
    private(set) var firstColorName: String? = nil

    var count: Int { labels.count }
    var isStreaming: Bool { images.isEmpty && !samples.isEmpty }

    init(images: [Image], labels: [Int], names: [String]) {
        self.images = images
        self.labels = labels
        self.names = names
        self.samples = []
        self.threads = 1
        firstColorName = images.firstIndex { $0.channels == 3 }.map { names[$0] }
    }

    private init(images: [Image], samples: [Sample], root: String, threads: Int) {
        self.images = images
        self.samples = images.isEmpty ? samples : []
        self.labels = samples.map(\.label)
        self.names = samples.map { pathBelow(root, $0.path) }
        self.threads = threads
    }

    /// Decodes `samples` (both cores) and keeps the images in memory if they fit `budget` bytes;
    /// otherwise drops the pixels and re-decodes per batch. Files that fail to decode are skipped.
    static func decode(_ samples: [Sample], root: String, budget: Int, threads: Int) -> (ImageStore, [SkippedFile]) {
        var kept: [Sample] = []
        var images: [Image] = []
        var skipped: [SkippedFile] = []
        var bytes = 0
        var streaming = false
        var firstColor: Sample? = nil
        // Decode in chunks so that a dataset beyond the budget never sits in memory whole.
        let chunk = 512
        for start in stride(from: 0, to: samples.count, by: chunk) {
            let decoded = decodeSamples(Array(samples[start..<min(start + chunk, samples.count)]), threadCount: threads)
            kept += decoded.samples
            skipped += decoded.skipped
            if firstColor == nil, let i = decoded.images.firstIndex(where: { $0.channels == 3 }) { firstColor = decoded.samples[i] }
            if !streaming {
                bytes += decoded.images.reduce(0) { $0 + $1.pixels.count + 64 }
                if bytes > budget { streaming = true; images = [] } else { images += decoded.images }
            }
        }
        let store = ImageStore(images: streaming ? [] : images, samples: kept, root: root, threads: threads)
        store.firstColorName = firstColor.map { pathBelow(root, $0.path) }
        return (store, skipped)
    }

    /// Decoded bytes held in memory.
    var residentBytes: Int { images.reduce(0) { $0 + $1.pixels.count } }

    /// The images at `indices`, from memory or decoded now (both cores).
    func images(_ indices: [Int]) throws -> [Image] {
        if !isStreaming { return indices.map { images[$0] } }
        let decoded = decodeSamples(indices.map { samples[$0] }, threadCount: threads)
        if let failure = decoded.skipped.first {
            throw ExperimentError.dataset("\(failure.path) decoded earlier in this run but now fails: \(failure.reason)")
        }
        return decoded.images
    }
}
