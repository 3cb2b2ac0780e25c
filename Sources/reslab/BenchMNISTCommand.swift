import ArgumentParser
import Datasets
import Foundation
import ImageIO
import Kernels
import NN

/// `reslab bench mnist`: the learning check of the CNN engine. Trains the reference CNN (one
/// input channel) for one epoch on MNIST (`../shared/datasets/mnist.tar.gz`, unpacked into a
/// scratch folder) and reports the test accuracy; the engine is sound if it reaches ≥ 98%.
struct BenchMNISTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist",
        abstract: "Train the reference CNN one epoch on MNIST and report test accuracy (goal ≥ 98%).")

    @Option(name: .long, help: "The MNIST archive (mnist/{train,test}/<digit>/N.png).")
    var archive = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/datasets/mnist.tar.gz").standardized.path

    @Option(name: .long, help: "Scratch folder to unpack into (reused when already unpacked).")
    var scratch = "/tmp/reslab-mnist"

    @Option(name: .long, help: "Training threads.")
    var threads = 2

    @Option(name: .long, help: "Images per step.")
    var batch = 64

    @Option(name: .long, help: "Peak learning rate (AdamW, 100 warm-up steps, cosine decay to 1%).")
    var learningRate: Float = 2e-3

    @Option(name: .long, help: "Initialisation and shuffling seed.")
    var seed: UInt64 = 1

    func validate() throws {
        guard FileManager.default.fileExists(atPath: archive) else {
            throw ValidationError("The MNIST archive \(archive) does not exist; pass --archive with its path.")
        }
        guard threads >= 1, batch >= 1 else { throw ValidationError("--threads and --batch must be at least 1.") }
    }

    func run() throws {
        let root = scratch + "/mnist"
        if !FileManager.default.fileExists(atPath: root + "/test") {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
            tar.arguments = ["-xzf", archive, "-C", scratch]
            try tar.run()
            tar.waitUntilExit()
            guard tar.terminationStatus == 0 else { throw ValidationError("tar could not unpack \(archive) into \(scratch).") }
        }
        let start = Date()
        let result = try MNISTCheck.run(root: root, threads: threads, batch: batch, learningRate: learningRate, seed: seed)
        print(String(format: "MNIST, reference CNN (1 channel, 28×28), one epoch: %d train / %d test images, batch %d, %d threads",
                     result.trainCount, result.testCount, batch, threads))
        print(String(format: "decode %.1f s, train %.1f s (%.0f img/s), mean train loss %.4f", result.decodeSeconds,
                     result.trainSeconds, Double(result.trainCount) / result.trainSeconds, result.meanLoss))
        print(String(format: "test accuracy %.2f%% (goal ≥ 98%%), total %.1f s", 100 * result.accuracy, Date().timeIntervalSince(start)))
    }
}

/// The MNIST one-epoch run behind `reslab bench mnist`.
enum MNISTCheck {
    struct Result {
        var trainCount: Int
        var testCount: Int
        var decodeSeconds: Double
        var trainSeconds: Double
        var meanLoss: Float
        var accuracy: Double
    }

    /// MNIST's pixel mean and standard deviation on [0, 1] (the customary normalisation).
    static let mean: Float = 0.1307, std: Float = 0.3081

    static func run(root: String, threads: Int, batch: Int, learningRate: Float, seed: UInt64) throws -> Result {
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
                throw ValidationError("\(sample.path) is \(image.width)×\(image.height)×\(image.channels), not a 28×28 grayscale MNIST digit.")
            }
            for pixel in image.pixels { values.append((Float(pixel) / 255 - mean) / std) }
        }
        return (try Tensor(shape: [decoded.images.count, 28, 28, 1], values: values), decoded.samples.map(\.label))
    }
}
