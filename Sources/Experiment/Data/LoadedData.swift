import Datasets
import Foundation
import ImageIO

/// A dataset opened for a run: both splits, class names, what was skipped, and the input
/// normalisation resolved to numbers.
struct LoadedData {
    var classNames: [String]
    var train: ImageStore
    var test: ImageStore
    var skipped: [SkippedFile]
    /// The digest of the training file list as scanned (before decoding); nil for generated data.
    var trainFiles: FileListDigest? = nil
    /// The folder, or `generated stripes (size 32, period 4, seed 1)`.
    var source: String
    /// Per-channel mean and std of v/255 (R, G, B, or one gray value); inputs are
    /// (v/255 − mean) / std.
    var mean: [Float]
    var std: [Float]

    /// The channels of every network input: one per normalisation value (`ColorMode.channels`).
    var channels: Int { mean.count }
}

/// Mean 0 and std 1 in each of `channels`: a normalisation that leaves pixels as they are, for
/// models described before the data's statistics are known.
func neutralNormalization(channels: Int) -> (mean: [Float], std: [Float]) {
    ([Float](repeating: 0, count: channels), [Float](repeating: 1, count: channels))
}

/// Opens the dataset of `config`: decodes each image once (both cores), keeping decoded images
/// in memory up to half of `budget` bytes and streaming beyond it.
func loadData(_ config: DatasetConfig, budget: Int, threads: Int) throws -> LoadedData {
    var data: LoadedData
    let channels = config.color.channels
    let neutral = neutralNormalization(channels: channels)
    if let generated = config.generated {
        let stripes = GeneratedStripes(size: generated.size, period: generated.period, seed: generated.seed)
        func store(_ split: Int, _ perClass: Int) -> ImageStore {
            let samples = stripes.split(split, perClass: perClass)
            let prefix = split == 0 ? "train/" : "test/"
            return ImageStore(images: samples.map(\.image), labels: samples.map(\.label),
                              names: samples.indices.map { prefix + String($0) })
        }
        data = LoadedData(classNames: GeneratedStripes.classNames,
                          train: store(0, generated.trainPerClass), test: store(1, generated.testPerClass),
                          skipped: [], source: "generated stripes (size \(generated.size), period \(generated.period), seed \(generated.seed))",
                          mean: neutral.mean, std: neutral.std)
    } else {
        let root = config.folder ?? "."
        let folder: ImageFolder
        do {
            folder = try ImageFolder.load(root: root, testFraction: config.testFraction, seed: UInt64(config.splitSeed))
        } catch {
            throw ExperimentError.dataset("\(error)")
        }
        let (train, trainSkipped) = ImageStore.decode(folder.train, root: folder.root, budget: budget / 3, threads: threads)
        let (test, testSkipped) = ImageStore.decode(folder.test, root: folder.root, budget: budget / 6, threads: threads)
        data = LoadedData(classNames: folder.classNames, train: train, test: test,
                          skipped: folder.skipped + trainSkipped + testSkipped, source: root,
                          mean: neutral.mean, std: neutral.std)
        data.trainFiles = FileListDigest(folder.train, root: folder.root, classNames: folder.classNames)
    }
    try checkSplits(classes: data.classNames.count, trainCount: data.train.count, testCount: data.test.count, source: data.source)
    switch config.normalization {
    case .none: break
    case let .fixed(mean, std):
        data.mean = (0..<channels).map { Float(mean[min($0, mean.count - 1)]) }
        data.std = (0..<channels).map { Float(std[min($0, std.count - 1)]) }
    case .dataset:
        (data.mean, data.std) = try channelStatistics(data.train, channels: channels)
    }
    return data
}

/// Per-channel mean and standard deviation of v/255 over up to 1,000 evenly spaced training
/// images, as the network sees them: with 3 channels a grayscale image counts for all three,
/// with 1 an RGB image counts as its luma.
private func channelStatistics(_ store: ImageStore, channels: Int) throws -> ([Float], [Float]) {
    let step = max(1, store.count / 1000)
    let images = try store.images(Array(stride(from: 0, to: store.count, by: step))).map { channels == 1 ? $0.grayscale() : $0 }
    var sum = [Double](repeating: 0, count: channels), squares = sum
    var pixels = 0.0
    for image in images {
        for p in 0..<(image.width * image.height) {
            for c in 0..<channels {
                let v = Double(image.pixels[p * image.channels + min(c, image.channels - 1)]) / 255
                sum[c] += v
                squares[c] += v * v
            }
        }
        pixels += Double(image.width * image.height)
    }
    let mean = sum.map { $0 / max(pixels, 1) }
    let std = (0..<channels).map { max((squares[$0] / max(pixels, 1) - mean[$0] * mean[$0]).squareRoot(), 1e-3) }
    return (mean.map(Float.init), std.map(Float.init))
}
