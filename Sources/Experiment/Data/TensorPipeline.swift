import Foundation
import ImageIO
import Resample
import Kernels

/// Turns images into network inputs: (N, r, r, C) float32 tensors, NHWC, C = the data's channels.
///
/// A whole split resized one way (resolution, method, crop) is cached the first time a
/// batch of it is asked for, as long as the cache stays within `budget` bytes; beyond that,
/// batches are resized on demand. Resizing runs on `Parallel.threadCount` threads.
final class TensorPipeline {
    struct Key: Hashable {
        var split: String
        var resolution: Int
        var method: ResizeMethod
        var crop: TestCrop
    }

    let data: LoadedData
    let budget: Int
    private var cache: [Key: [Float]] = [:]
    private var cachedBytes = 0

    init(data: LoadedData, budget: Int) {
        self.data = data
        self.budget = budget
    }

    func store(_ split: String) -> ImageStore { split == "train" ? data.train : data.test }

    /// Inputs for `indices` of the split named in `key`.
    func tensors(_ key: Key, _ indices: [Int]) throws -> [Float] {
        let plane = key.resolution * key.resolution * data.channels
        if let whole = try cached(key) {
            var batch = [Float](repeating: 0, count: indices.count * plane)
            batch.withUnsafeMutableBufferPointer { out in
                whole.withUnsafeBufferPointer { all in
                    for (row, index) in indices.enumerated() {
                        (out.baseAddress! + row * plane).update(from: all.baseAddress! + index * plane, count: plane)
                    }
                }
            }
            return batch
        }
        return try resize(store(key.split).images(indices), key)
    }

    /// The whole split for `key`, computing and caching it when it fits the budget.
    private func cached(_ key: Key) throws -> [Float]? {
        if let hit = cache[key] { return hit }
        let store = store(key.split)
        let bytes = store.count * key.resolution * key.resolution * data.channels * MemoryLayout<Float>.size
        guard cachedBytes + bytes <= budget, !store.isStreaming else { return nil }
        let whole = try resize(store.images(Array(0..<store.count)), key)
        cache[key] = whole
        cachedBytes += bytes
        return whole
    }

    /// Resizes `images` with `key`'s settings into one (N, r, r, 3) tensor.
    func resize(_ images: [Image], _ key: Key) -> [Float] {
        let r = key.resolution
        let plane = r * r * data.channels
        var out = [Float](repeating: 0, count: images.count * plane)
        let (mean, std) = (data.mean, data.std)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let base = buffer.baseAddress!
            Parallel.forRanges(images.count) { range in
                let workspace = ResizeWorkspace()
                for i in range {
                    resizeImage(images[i], into: base + i * plane, size: r, method: key.method,
                                crop: key.crop, mean: mean, std: std, workspace: workspace)
                }
            }
        }
        return out
    }
}
