import ArgumentParser
import Benchmarks
import Foundation

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
