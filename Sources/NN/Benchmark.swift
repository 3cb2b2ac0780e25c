import Dispatch
import Foundation
import Kernels
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
    public var gflops: Double { imagesPerSecond * Double(flopsPerImage) / 1e9 }
}

/// Benchmarks of a network on random data (the figures `reslab bench train` prints).
public enum NetworkBenchmark {
    /// Training steps per second × batch: AdamW (no decay) on one fixed random batch of
    /// `size`×`size`×3, after two warm-up steps, median of `windows` windows of ≥ `seconds`.
    public static func training(spec: ModelSpec, batch: Int, size: Int, threads: Int,
                                windows: Int = 3, seconds: Double = 0.5) throws -> Throughput {
        try withThreads(threads) {
            let net = try Network(spec: spec, inputChannels: 3, classes: 10, trainingHeight: size, trainingWidth: size, seed: 1)
            let inputs = randomImages(batch: batch, size: size)
            let labels = (0..<batch).map { $0 % 10 }
            let optimizer = Optimizer(.adamW, schedule: LearningRateSchedule(base: 1e-3))
            let rate = try medianRate(windows: windows, seconds: seconds) {
                _ = try net.trainStep(inputs: inputs, labels: labels, optimizer: optimizer)
            }
            let math = try net.modelPlan(height: size, width: size)
            return Throughput(imagesPerSecond: rate.wall * Double(batch), imagesPerCPUSecond: rate.cpu * Double(batch),
                              flopsPerImage: math.trainingFlops, threads: threads)
        }
    }

    /// Forward passes (`predict`) per second × batch on random `size`×`size`×3 images.
    public static func inference(spec: ModelSpec, batch: Int, size: Int, threads: Int,
                                 windows: Int = 3, seconds: Double = 0.5) throws -> Throughput {
        try withThreads(threads) {
            let net = try Network(spec: spec, inputChannels: 3, classes: 10, trainingHeight: size, trainingWidth: size, seed: 1)
            let inputs = randomImages(batch: batch, size: size)
            let rate = try medianRate(windows: windows, seconds: seconds) { _ = try net.predict(inputs) }
            let math = try net.modelPlan(height: size, width: size)
            return Throughput(imagesPerSecond: rate.wall * Double(batch), imagesPerCPUSecond: rate.cpu * Double(batch),
                              flopsPerImage: math.flops, threads: threads)
        }
    }

    /// Runs `steps` training steps at `size` (for a peak-memory probe) and returns nothing.
    public static func trainSteps(spec: ModelSpec, batch: Int, size: Int, steps: Int) throws {
        let net = try Network(spec: spec, inputChannels: 3, classes: 10, trainingHeight: size, trainingWidth: size, seed: 1)
        let inputs = randomImages(batch: batch, size: size)
        let labels = (0..<batch).map { $0 % 10 }
        let optimizer = Optimizer(.adamW, schedule: LearningRateSchedule(base: 1e-3))
        for _ in 0..<steps { _ = try net.trainStep(inputs: inputs, labels: labels, optimizer: optimizer) }
    }

    private static func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        return try body()
    }

    private static func randomImages(batch: Int, size: Int) -> Tensor {
        var generator = SplitMix64(seed: 2)
        return try! Tensor(shape: [batch, size, size, 3], values: (0..<batch * size * size * 3).map { _ in generator.uniform(limit: 1) })
    }

    /// Calls per wall second and per process CPU second: two warm-up calls, then the medians
    /// over `windows` windows, each repeating `body` until `seconds` have passed.
    private static func medianRate(windows: Int, seconds: Double, _ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
        let rates = try windowRates(windows: windows, seconds: seconds, warmUpCalls: 2, body)
        let wall = rates.map(\.wall).sorted(), cpu = rates.map(\.cpu).sorted()
        return (wall[wall.count / 2], cpu[cpu.count / 2])
    }

    /// Calls of `body` per wall second and per process CPU second in each of `windows` windows
    /// (each repeating `body` until `seconds` have passed), after `warmUpCalls` untimed calls.
    public static func windowRates(windows: Int, seconds: Double, warmUpCalls: Int,
                                   _ body: () throws -> Void) rethrows -> [(wall: Double, cpu: Double)] {
        for _ in 0..<warmUpCalls { try body() }
        return try (0..<windows).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
            var calls = 0, elapsed = 0.0
            repeat {
                try body()
                calls += 1
                elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } while elapsed < seconds
            return (Double(calls) / elapsed, Double(calls) / max(1e-9, processCPUSeconds() - cpuStart))
        }
    }

    private static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
