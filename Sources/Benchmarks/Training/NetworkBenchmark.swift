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

/// One thread count's figures: reslab's, and its peer's from the windows timed between reslab's.
public struct Comparison {
    public var ours: Throughput
    /// The peer's images per wall second and per second of its CPU time, medians of its windows;
    /// nil without a peer.
    public var peer: (imagesPerSecond: Double, imagesPerCPUSecond: Double)?
    /// The median over the windows of reslab's img/s ÷ the peer's in its window timed after
    /// reslab's window of that round, on the same CPU for one thread: a change of the host's
    /// speed that lasts longer than the round cancels in each quotient, which the quotient of the
    /// medians does not promise.
    public var ratio: Double?
    /// reslab's and the peer's img/s (wall) in each round, in timing order (the peer's empty
    /// without a peer): for one thread the mean of the round's windows on each CPU of `cpus`, the
    /// rate of one thread on an average CPU of the machine then. What `Figure.speedUps` pairs.
    public var oursPerRound: [Double] = []
    public var peerPerRound: [Double] = []
    /// The machine probe's FMA-loop iterations per wall second in each round (`MachineProbe`,
    /// timed between reslab's calls with the same threads and CPUs; for one thread the mean over
    /// `cpus`): what `Figure.machineSpeedUps` pairs.
    public var machinePerRound: [Double] = []
    /// reslab's one-thread calls and the peer's one-thread windows that ran off their CPU
    /// (pinning failed), over all rounds.
    public var unpinnedCalls = 0
    public var unpinnedPeerWindows = 0
    /// The CPUs the one-thread windows ran on in each round (empty for more threads), and the
    /// median img/s of reslab's and the peer's windows on each.
    public var cpus: [Int] = []
    public var oursPerCPU: [Double] = []
    public var peerPerCPU: [Double] = []
}

/// Benchmarks of a network on random data (the figures `reslab bench train` and `bench onnx`
/// print): (N, size, size, C) inputs with values uniform in [0, 1), labels i mod classes.
public enum NetworkBenchmark {
    /// Starts a count's peer (`PeerWindows`) for thread count `count`.
    public typealias StartPeer = (_ count: Int) throws -> PeerWindows

    /// Training steps per second × batch of `graph` (a network built with seed 1 per thread
    /// count) with `optimizer()` on one fixed random batch, at each of `threads`, beside
    /// `peer`'s windows (`interleavedWindows`). Batch norm runs in training mode (batch
    /// statistics), as in every training step.
    public static func training(graph: GraphSpec, classes: Int = 10, optimizer: () -> Optimizer, batch: Int, size: Int,
                                threads: [Int], oneThreadCPUs: [Int], rounds: Int = 5, seconds: Double = 0.5,
                                peer: StartPeer? = nil) throws -> [Int: Comparison] {
        let inputs = randomImages(batch: batch, size: size, channels: 3)
        let labels = (0..<batch).map { $0 % classes }
        let steps = try threads.map { _ in
            (try Network(graph: graph, inputChannels: 3, classes: classes, trainingHeight: size, trainingWidth: size, seed: 1), optimizer())
        }
        let plan = try steps[0].0.modelPlan(height: size, width: size)
        let timed = try withPeers(peer, threads: threads, oneThreadCPU: oneThreadCPUs.first) { peers in
            try interleavedWindows(threads: threads, oneThreadCPUs: oneThreadCPUs, rounds: rounds, seconds: seconds, peers: peers) { index in
                _ = try steps[index].0.trainStep(inputs: inputs, labels: labels, optimizer: steps[index].1)
            }
        }
        return comparisons(timed, threads: threads, batch: batch, flopsPerImage: plan.trainingFlops, parameters: plan.parameters)
    }

    /// Forward passes (`predict`) per second × batch of `network` on random `size`×`size` images,
    /// at each of `threads`, beside `peer`'s windows (`interleavedWindows`). The evaluation
    /// workspaces the largest count makes in its warm-up serve the smaller counts too, so no
    /// timed window rebuilds them.
    public static func inference(network: Network, batch: Int, size: Int, threads: [Int], oneThreadCPUs: [Int],
                                 rounds: Int = 5, seconds: Double = 0.5, peer: StartPeer? = nil) throws -> [Int: Comparison] {
        let inputs = randomImages(batch: batch, size: size, channels: network.inputChannels)
        let plan = try network.modelPlan(height: size, width: size)
        let timed = try withPeers(peer, threads: threads, oneThreadCPU: oneThreadCPUs.first) { peers in
            try interleavedWindows(threads: threads, oneThreadCPUs: oneThreadCPUs, rounds: rounds, seconds: seconds, peers: peers) { _ in
                _ = try network.predict(inputs)
            }
        }
        return comparisons(timed, threads: threads, batch: batch, flopsPerImage: plan.flops, parameters: plan.parameters)
    }

    /// The medians of `timed` (calls per second, per thread count) as throughputs of `batch`
    /// images per call, with the peer's medians, the median of the windows' ratios, each round's
    /// img/s (the mean of its windows: of its CPUs, for one thread) and each CPU's median.
    static func comparisons(_ timed: [Windows], threads: [Int], batch: Int, flopsPerImage: Int, parameters: Int) -> [Int: Comparison] {
        let images = Double(batch)
        return Dictionary(uniqueKeysWithValues: zip(threads, timed).map { count, windows in
            let ours = Throughput(imagesPerSecond: median(windows.ours.map(\.wall)) * images,
                                  imagesPerCPUSecond: median(windows.ours.map(\.cpu)) * images,
                                  flopsPerImage: flopsPerImage, threads: count, batch: batch, parameters: parameters)
            let oursRates = windows.ours.map { $0.wall * images }, peerRates = windows.peer.map(\.wall)
            var comparison = Comparison(ours: ours, oursPerRound: perRound(oursRates, windows.windowsPerRound), cpus: windows.cpus,
                                        oursPerCPU: perCPU(oursRates, windows.cpus))
            comparison.machinePerRound = perRound(windows.machine, windows.windowsPerRound)
            (comparison.unpinnedCalls, comparison.unpinnedPeerWindows) = (windows.unpinnedCalls, windows.unpinnedPeerWindows)
            guard !windows.peer.isEmpty else { return (count, comparison) }
            comparison.peer = (median(peerRates), median(windows.peer.map(\.cpu)))
            comparison.ratio = median(zip(oursRates, peerRates).map { $0 / $1 })
            comparison.peerPerRound = perRound(peerRates, windows.windowsPerRound)
            comparison.peerPerCPU = perCPU(peerRates, windows.cpus)
            return (count, comparison)
        })
    }

    /// The mean of each round's `size` consecutive rates.
    private static func perRound(_ rates: [Double], _ size: Int) -> [Double] {
        stride(from: 0, to: rates.count - size + 1, by: size).map { rates[$0..<$0 + size].reduce(0, +) / Double(size) }
    }

    /// The median of each CPU's rates (every `cpus.count`-th, from its position), empty without CPUs.
    private static func perCPU(_ rates: [Double], _ cpus: [Int]) -> [Double] {
        cpus.indices.map { position in median(stride(from: position, to: rates.count, by: cpus.count).map { rates[$0] }) }
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

    static func randomImages(batch: Int, size: Int, channels: Int) -> Tensor {
        var generator = SplitMix64(seed: 2)
        let count = batch * size * size * channels
        return try! Tensor(shape: [batch, size, size, channels], values: (0..<count).map { _ in generator.uniform(limit: 1) })
    }
}
