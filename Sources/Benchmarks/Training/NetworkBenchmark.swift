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
    /// The median over the rounds of reslab's img/s ÷ the peer's in the same round (each peer
    /// window timed right after reslab's): a change of the host's speed that lasts longer than a
    /// round cancels in each quotient, which the quotient of the medians does not promise.
    public var ratio: Double?
    /// reslab's and the peer's img/s (wall) in each round, in timing order (the peer's empty
    /// without a peer): what `Figure.speedUps` pairs.
    public var oursPerRound: [Double] = []
    public var peerPerRound: [Double] = []
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
                                threads: [Int], oneThreadCPU: Int, rounds: Int = 5, seconds: Double = 0.5,
                                peer: StartPeer? = nil) throws -> [Int: Comparison] {
        let inputs = randomImages(batch: batch, size: size, channels: 3)
        let labels = (0..<batch).map { $0 % classes }
        let steps = try threads.map { _ in
            (try Network(graph: graph, inputChannels: 3, classes: classes, trainingHeight: size, trainingWidth: size, seed: 1), optimizer())
        }
        let plan = try steps[0].0.modelPlan(height: size, width: size)
        let timed = try withPeers(peer, threads: threads, oneThreadCPU: oneThreadCPU) { peers in
            try interleavedWindows(threads: threads, oneThreadCPU: oneThreadCPU, rounds: rounds, seconds: seconds, peers: peers) { index in
                _ = try steps[index].0.trainStep(inputs: inputs, labels: labels, optimizer: steps[index].1)
            }
        }
        return comparisons(timed, threads: threads, batch: batch, flopsPerImage: plan.trainingFlops, parameters: plan.parameters)
    }

    /// Forward passes (`predict`) per second × batch of `network` on random `size`×`size` images,
    /// at each of `threads`, beside `peer`'s windows (`interleavedWindows`). The evaluation
    /// workspaces the largest count makes in its warm-up serve the smaller counts too, so no
    /// timed window rebuilds them.
    public static func inference(network: Network, batch: Int, size: Int, threads: [Int], oneThreadCPU: Int,
                                 rounds: Int = 5, seconds: Double = 0.5, peer: StartPeer? = nil) throws -> [Int: Comparison] {
        let inputs = randomImages(batch: batch, size: size, channels: network.inputChannels)
        let plan = try network.modelPlan(height: size, width: size)
        let timed = try withPeers(peer, threads: threads, oneThreadCPU: oneThreadCPU) { peers in
            try interleavedWindows(threads: threads, oneThreadCPU: oneThreadCPU, rounds: rounds, seconds: seconds, peers: peers) { _ in
                _ = try network.predict(inputs)
            }
        }
        return comparisons(timed, threads: threads, batch: batch, flopsPerImage: plan.flops, parameters: plan.parameters)
    }

    /// The windows of one thread count: reslab's calls per second and the peer's images per
    /// second (wall and process CPU time each), in the order they were timed.
    struct Windows {
        var ours: [(wall: Double, cpu: Double)] = []
        var peer: [(wall: Double, cpu: Double)] = []
    }

    /// Windows of ≥ `seconds` of `call(index)` with `threads[index]` worker threads, for every
    /// index, in `rounds` rounds that time one window of each count in turn (after two warm-up
    /// calls of each in the first), each followed by a window of that count's peer
    /// (`peers[index]`, when there is one): a drift of the shared host's speed, which lasts seconds
    /// to minutes, falls on every count and on both sides alike instead of on whichever ran during
    /// it. One-thread windows run pinned to `oneThreadCPU` (`CPUPinning`); so does a one-thread
    /// peer, started there (`withPeers`).
    static func interleavedWindows(threads: [Int], oneThreadCPU: Int, rounds: Int, seconds: Double, peers: [PeerWindows?] = [],
                                   _ call: (_ index: Int) throws -> Void) throws -> [Windows] {
        var timed = [Windows](repeating: Windows(), count: threads.count)
        for round in 0..<rounds {
            for (index, count) in threads.enumerated() {
                timed[index].ours += try CPUPinning.whenOneThread(count, cpu: oneThreadCPU) {
                    try withThreads(count) {
                        try callRates(windows: 1, seconds: seconds, warmUpCalls: round == 0 ? 2 : 0) { try call(index) }
                    }
                }
                if index < peers.count, let peer = peers[index] { timed[index].peer.append(try peer.window()) }
            }
        }
        return timed
    }

    /// `body` with one peer per thread count started by `start` (each from a thread pinned as
    /// that count's reslab windows are, so a one-thread peer inherits the pinning), or none; the
    /// peers end when `body` returns.
    static func withPeers<T>(_ start: StartPeer?, threads: [Int], oneThreadCPU: Int, _ body: ([PeerWindows?]) throws -> T) throws -> T {
        var peers: [PeerWindows?] = []
        defer { peers.forEach { $0?.close() } }
        for count in threads {
            peers.append(try start.map { start in try CPUPinning.whenOneThread(count, cpu: oneThreadCPU) { try start(count) } })
        }
        return try body(peers)
    }

    /// The medians of `timed` (calls per second, per thread count) as throughputs of `batch`
    /// images per call, with the peer's medians and the median of the rounds' ratios.
    static func comparisons(_ timed: [Windows], threads: [Int], batch: Int, flopsPerImage: Int, parameters: Int) -> [Int: Comparison] {
        let images = Double(batch)
        return Dictionary(uniqueKeysWithValues: zip(threads, timed).map { count, windows in
            let ours = Throughput(imagesPerSecond: median(windows.ours.map(\.wall)) * images,
                                  imagesPerCPUSecond: median(windows.ours.map(\.cpu)) * images,
                                  flopsPerImage: flopsPerImage, threads: count, batch: batch, parameters: parameters)
            let oursPerRound = windows.ours.map { $0.wall * images }, peerPerRound = windows.peer.map(\.wall)
            guard !windows.peer.isEmpty else { return (count, Comparison(ours: ours, oursPerRound: oursPerRound)) }
            let ratios = zip(oursPerRound, peerPerRound).map { $0 / $1 }
            return (count, Comparison(ours: ours, peer: (median(windows.peer.map(\.wall)), median(windows.peer.map(\.cpu))),
                                      ratio: median(ratios), oursPerRound: oursPerRound, peerPerRound: peerPerRound))
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
