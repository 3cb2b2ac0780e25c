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
    /// Training steps per second × batch of `graph` (a network built with seed 1 per thread
    /// count) with `optimizer()` on one fixed random batch, at each of `threads`, the counts'
    /// windows interleaved (`interleavedRates`). Batch norm runs in training mode (batch
    /// statistics), as in every training step.
    public static func training(graph: GraphSpec, classes: Int = 10, optimizer: () -> Optimizer, batch: Int, size: Int,
                                threads: [Int], oneThreadCPU: Int, windows: Int = 3, seconds: Double = 0.5) throws -> [Int: Throughput] {
        let inputs = randomImages(batch: batch, size: size, channels: 3)
        let labels = (0..<batch).map { $0 % classes }
        let steps = try threads.map { _ in
            (try Network(graph: graph, inputChannels: 3, classes: classes, trainingHeight: size, trainingWidth: size, seed: 1), optimizer())
        }
        let plan = try steps[0].0.modelPlan(height: size, width: size)
        let rates = try interleavedRates(threads: threads, oneThreadCPU: oneThreadCPU, windows: windows, seconds: seconds) { index in
            _ = try steps[index].0.trainStep(inputs: inputs, labels: labels, optimizer: steps[index].1)
        }
        return throughputs(rates, threads: threads, batch: batch, flopsPerImage: plan.trainingFlops, parameters: plan.parameters)
    }

    /// Forward passes (`predict`) per second × batch of `network` on random `size`×`size` images,
    /// at each of `threads`, the counts' windows interleaved (`interleavedRates`). The evaluation
    /// workspaces the largest count makes in its warm-up serve the smaller counts too, so no
    /// timed window rebuilds them.
    public static func inference(network: Network, batch: Int, size: Int, threads: [Int], oneThreadCPU: Int,
                                 windows: Int = 3, seconds: Double = 0.5) throws -> [Int: Throughput] {
        let inputs = randomImages(batch: batch, size: size, channels: network.inputChannels)
        let plan = try network.modelPlan(height: size, width: size)
        let rates = try interleavedRates(threads: threads, oneThreadCPU: oneThreadCPU, windows: windows, seconds: seconds) { _ in
            _ = try network.predict(inputs)
        }
        return throughputs(rates, threads: threads, batch: batch, flopsPerImage: plan.flops, parameters: plan.parameters)
    }

    /// Calls per second (wall and process CPU time) of `call(index)` with `threads[index]` worker
    /// threads, for every index: medians of `windows` windows of ≥ `seconds`, taken in rounds that
    /// time one window of each count in turn (after two warm-up calls of each in the first), so
    /// that a drift of the shared host's speed, which lasts seconds to minutes, falls on every
    /// count alike instead of on whichever count ran during it. One-thread windows run pinned to
    /// `oneThreadCPU` (`CPUPinning`).
    static func interleavedRates(threads: [Int], oneThreadCPU: Int, windows: Int, seconds: Double,
                                 _ call: (_ index: Int) throws -> Void) throws -> [(wall: Double, cpu: Double)] {
        var rates = [[(wall: Double, cpu: Double)]](repeating: [], count: threads.count)
        for round in 0..<windows {
            for (index, count) in threads.enumerated() {
                rates[index] += try CPUPinning.whenOneThread(count, cpu: oneThreadCPU) {
                    try withThreads(count) {
                        try callRates(windows: 1, seconds: seconds, warmUpCalls: round == 0 ? 2 : 0) { try call(index) }
                    }
                }
            }
        }
        return rates.map { windows in
            let wall = windows.map(\.wall).sorted(), cpu = windows.map(\.cpu).sorted()
            return (wall[wall.count / 2], cpu[cpu.count / 2])
        }
    }

    /// `rates` (calls per second, per thread count) as throughputs of `batch` images per call.
    private static func throughputs(_ rates: [(wall: Double, cpu: Double)], threads: [Int], batch: Int,
                                    flopsPerImage: Int, parameters: Int) -> [Int: Throughput] {
        Dictionary(uniqueKeysWithValues: zip(threads, rates).map { count, rate in
            (count, Throughput(imagesPerSecond: rate.wall * Double(batch), imagesPerCPUSecond: rate.cpu * Double(batch),
                               flopsPerImage: flopsPerImage, threads: count, batch: batch, parameters: parameters))
        })
    }

    /// Runs `steps` training steps of `graph` at `size` (for a peak-memory probe).
    public static func trainSteps(graph: GraphSpec, optimizer: Optimizer, batch: Int, size: Int, steps: Int) throws {
        let net = try Network(graph: graph, inputChannels: 3, classes: 10, trainingHeight: size, trainingWidth: size, seed: 1)
        let inputs = randomImages(batch: batch, size: size, channels: 3)
        let labels = (0..<batch).map { $0 % 10 }
        for _ in 0..<steps { _ = try net.trainStep(inputs: inputs, labels: labels, optimizer: optimizer) }
    }

    static func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
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
}
