import Datasets
import Foundation
import ImageIO
import Kernels
import NN

/// The MNIST one-epoch run behind `reslab bench mnist`.
public enum MNISTCheck {
    public struct Result {
        public var trainCount: Int
        public var testCount: Int
        public var decodeSeconds: Double
        public var trainSeconds: Double
        public var meanLoss: Float
        public var accuracy: Double
    }

    /// MNIST's pixel mean and standard deviation on [0, 1] (the customary normalisation).
    static let mean: Float = 0.1307, std: Float = 0.3081

    public static func run(root: String, threads: Int, batch: Int, learningRate: Float, seed: UInt64) throws -> Result {
        let folder = try ImageFolder.load(root: root)
        let decodeStart = Date()
        let train = try tensor(decodeSamples(folder.train, threadCount: threads))
        let test = try tensor(decodeSamples(folder.test, threadCount: threads))
        let decodeSeconds = Date().timeIntervalSince(decodeStart)

        Parallel.threadCount = threads
        let network = try Network(spec: .referenceCNN(classes: folder.classNames.count), inputChannels: 1,
                                  classes: folder.classNames.count, trainingHeight: 28, trainingWidth: 28, seed: seed)
        let steps = (train.labels.count + batch - 1) / batch
        let optimizer = Optimizer(.adamW, schedule: LearningRateSchedule(
            base: learningRate, warmupSteps: 100, decay: .cosine(totalSteps: steps, finalFraction: 0.01)))
        let trainStart = Date()
        let loss = try network.trainEpoch(images: train.images, labels: train.labels, batchSize: batch,
                                          optimizer: optimizer, shuffleSeed: seed)
        let trainSeconds = Date().timeIntervalSince(trainStart)
        let predictions = try network.classify(images: test.images)
        let correct = zip(predictions, test.labels).filter { $0 == $1 }.count
        return Result(trainCount: train.labels.count, testCount: test.labels.count, decodeSeconds: decodeSeconds,
                      trainSeconds: trainSeconds, meanLoss: loss, accuracy: Double(correct) / Double(test.labels.count))
    }

    /// 28×28 grayscale images as one normalised (N, 28, 28, 1) tensor, with their labels.
    static func tensor(_ decoded: DecodedSamples) throws -> (images: Tensor, labels: [Int]) {
        var values: [Float] = []
        values.reserveCapacity(decoded.images.count * 28 * 28)
        for (image, sample) in zip(decoded.images, decoded.samples) {
            guard image.width == 28, image.height == 28, image.channels == 1 else {
                throw BenchmarkError.badInput(file: sample.path, reason: "it is \(image.width)×\(image.height)×\(image.channels), not a 28×28 grayscale MNIST digit")
            }
            for pixel in image.pixels { values.append((Float(pixel) / 255 - mean) / std) }
        }
        return (try Tensor(shape: [decoded.images.count, 28, 28, 1], values: values), decoded.samples.map(\.label))
    }
}
