import Kernels
import NN
import SeededRandom

/// A throughput measurement: the median of several timed windows.
public struct Throughput: Sendable {
    public var imagesPerSecond: Double
    /// Images per second of process CPU time (all threads): robust to other processes
    /// competing for the cores, which inflate wall time but not CPU time.
    public var imagesPerCPUSecond: Double
    /// Useful FLOPs per image (`ModelPlan.flops` or `.trainingFlops`).
    public var flopsPerImage: Int
    public var threads: Int
    /// Images per call (training step or forward pass).
    public var batch: Int
    /// Parameters of the network (`ModelPlan.parameters`), running statistics not counted.
    public var parameters: Int
    public var gflops: Double { imagesPerSecond * Double(flopsPerImage) / 1e9 }
    /// Wall seconds per call: batch / (images per second).
    public var secondsPerCall: Double { Double(batch) / imagesPerSecond }
}

/// Benchmarks of a network on random data (the figures `reslab bench train` and `bench onnx`
/// print): (N, size, size, C) inputs with values uniform in [0, 1), labels i mod classes.
public enum NetworkBenchmark {
    /// Training steps per second × batch of `graph` (built with seed 1) with `optimizer` on one
    /// fixed random batch, after two warm-up steps, median of `windows` windows of ≥ `seconds`.
    /// Batch norm runs in training mode (batch statistics), as in every training step.
    public static func training(graph: GraphSpec, classes: Int = 10, optimizer: Optimizer, batch: Int, size: Int,
                                threads: Int, windows: Int = 3, seconds: Double = 0.5) throws -> Throughput {
        try withThreads(threads) {
            let net = try Network(graph: graph, inputChannels: 3, classes: classes, trainingHeight: size, trainingWidth: size, seed: 1)
            let inputs = randomImages(batch: batch, size: size, channels: 3)
            let labels = (0..<batch).map { $0 % classes }
            let rate = try medianRate(windows: windows, seconds: seconds) {
                _ = try net.trainStep(inputs: inputs, labels: labels, optimizer: optimizer)
            }
            let plan = try net.modelPlan(height: size, width: size)
            return Throughput(imagesPerSecond: rate.wall * Double(batch), imagesPerCPUSecond: rate.cpu * Double(batch),
                              flopsPerImage: plan.trainingFlops, threads: threads, batch: batch, parameters: plan.parameters)
        }
    }

    /// Forward passes (`predict`) per second × batch of `network` on random `size`×`size` images.
    public static func inference(network: Network, batch: Int, size: Int, threads: Int,
                                 windows: Int = 3, seconds: Double = 0.5) throws -> Throughput {
        try withThreads(threads) {
            let inputs = randomImages(batch: batch, size: size, channels: network.inputChannels)
            let rate = try medianRate(windows: windows, seconds: seconds) { _ = try network.predict(inputs) }
            let plan = try network.modelPlan(height: size, width: size)
            return Throughput(imagesPerSecond: rate.wall * Double(batch), imagesPerCPUSecond: rate.cpu * Double(batch),
                              flopsPerImage: plan.flops, threads: threads, batch: batch, parameters: plan.parameters)
        }
    }

    /// Runs `steps` training steps of `graph` at `size` (for a peak-memory probe).
    public static func trainSteps(graph: GraphSpec, optimizer: Optimizer, batch: Int, size: Int, steps: Int) throws {
        let net = try Network(graph: graph, inputChannels: 3, classes: 10, trainingHeight: size, trainingWidth: size, seed: 1)
        let inputs = randomImages(batch: batch, size: size, channels: 3)
        let labels = (0..<batch).map { $0 % 10 }
        for _ in 0..<steps { _ = try net.trainStep(inputs: inputs, labels: labels, optimizer: optimizer) }
    }

    private static func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        return try body()
    }

    private static func randomImages(batch: Int, size: Int, channels: Int) -> Tensor {
        var generator = SplitMix64(seed: 2)
        let count = batch * size * size * channels
        return try! Tensor(shape: [batch, size, size, channels], values: (0..<count).map { _ in generator.uniform(limit: 1) })
    }

    /// Medians of the per-window call rates (`callRates`, two warm-up calls).
    private static func medianRate(windows: Int, seconds: Double, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let rates = try callRates(windows: windows, seconds: seconds, warmUpCalls: 2, body)
        let wall = rates.map(\.wall).sorted(), cpu = rates.map(\.cpu).sorted()
        return (wall[wall.count / 2], cpu[cpu.count / 2])
    }
}
