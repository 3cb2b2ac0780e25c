import Kernels
import NN

/// How fast a model trains and evaluates on this machine, and how those figures were obtained.
public struct ModelSpeed: Sendable, Equatable {
    /// Training FLOP/s (forward and backward, `ModelPlan.trainingFlops`) on the plan's threads;
    /// nil for a model that is not trained here (an imported `onnx:` model), so not timed.
    public var trainingFLOPsPerSecond: Double?
    /// Evaluation FLOP/s (forward passes, `ModelPlan.flops`) on the plan's threads.
    public var forwardFLOPsPerSecond: Double
    /// True when timed here (`measureModelSpeed`); false for the documented fallback.
    public var measured: Bool

    /// Used when a model cannot be timed (`--plan`, tests). Training: the low end of the 120–160
    /// GFLOP/s per thread that training of the zoo's CNNs sustained at 32–128 px on one Zen 5 core
    /// (`reslab bench train`, 2026-11-26); not multiplied by the thread count: two threads give
    /// 1.8× one on a quiet machine but much less while other work shares the cores. Evaluation: half of that, as measured on 2026-11-26 for imagenette-cnn
    /// (training 102 GFLOP/s, evaluation at 64–224 px 48 GFLOP/s, one thread, loaded machine).
    public static let fallback = ModelSpeed(trainingFLOPsPerSecond: assumedTrainingRate, forwardFLOPsPerSecond: 60e9, measured: false)
    /// `fallback`'s training rate.
    public static let assumedTrainingRate = 120e9
}

/// Times `model` on made-up (N, r, r, C) inputs at its training resolution r on `threads` threads:
/// training steps with `optimizer`, then forward passes. N is the training (evaluation) batch,
/// but at most what keeps one call near `callFLOPs` (≈ 0.1 s; for imagenette-cnn at 128 px that is
/// 6 images a step, plenty to keep its GEMMs large). Each call is made once untimed (buffers are
/// allocated, pages touched), then the rate is that of the fastest of three windows of at least
/// `window` seconds: the one least disturbed by other work (on this shared 2-core VM,
/// imagenette-cnn's median window gave estimates of 9 s and 19 s a minute apart; the fastest gave
/// 168–185 GFLOP/s in six runs). Short windows still see sustained load: with 2 threads while
/// other builds ran, training timed at 39 GFLOP/s against 117 with one. About half a second per model.
func measureModelSpeed(_ model: Model, optimizer: Optimizer, batch: Int, evaluationBatch: Int, threads: Int,
                       callFLOPs: Double = 10e9, window: Double = 0.05) throws -> ModelSpeed {
    let r = model.info.trainResolution, image = r * r * model.network.inputChannels
    let forwardFLOPs = model.forwardFLOPs(at: r) ?? 0
    let trainingBatch = max(1, min(batch, Int(callFLOPs / max(1, model.trainingFLOPs))))
    let forwardBatch = max(1, min(evaluationBatch, Int(callFLOPs / max(1, forwardFLOPs))))
    // Any values in the range of normalised pixels: the time does not depend on them.
    let inputs = (0..<max(trainingBatch, forwardBatch) * image).map { Float($0 % 251) / 125 - 1 }
    let labels = (0..<trainingBatch).map { $0 % model.info.classNames.count }
    let saved = Parallel.threadCount
    Parallel.threadCount = threads
    defer { Parallel.threadCount = saved }
    // An imported model is only tested, so only its forward passes are timed.
    let training = try model.info.onnx == nil ? callsPerSecond(window) {
        _ = try model.trainStep(Array(inputs.prefix(trainingBatch * image)), labels: labels, resolution: r,
                                optimizer: optimizer, labelSmoothing: 0)
    } : nil
    let forward = try callsPerSecond(window) {
        _ = try model.logits(Array(inputs.prefix(forwardBatch * image)), count: forwardBatch, resolution: r)
    }
    return ModelSpeed(trainingFLOPsPerSecond: training.map { model.trainingFLOPs * Double(trainingBatch) * $0 },
                      forwardFLOPsPerSecond: forwardFLOPs * Double(forwardBatch) * forward, measured: true)
}

/// Calls of `body` per wall second: one untimed call, then the fastest of three windows, each
/// repeating `body` until `window` seconds have passed.
private func callsPerSecond(_ window: Double, _ body: () throws -> Void) rethrows -> Double {
    try callRates(windows: 3, seconds: window, warmUpCalls: 1, body).map(\.wall).max()!
}
