import Dispatch
import Foundation
import Kernels

/// The plan of `request`'s experiment as `reslab run CONFIG --out RUN --plan` sees it: every cell,
/// with its FLOPs. Throws the runner's errors (bad config, a run folder of another experiment).
func slurmPlan(_ request: SlurmRequest) throws -> PlanSummary {
    var options = RunOptions(configPath: request.configPath, threads: request.cpusPerTask)
    options.out = request.runFolder
    options.dataOverride = request.dataOverride
    return try planExperiment(options)
}

/// Training sustains about this share of the matrix kernel's rate: the plan assumes 20 GFLOP/s
/// per thread (`PlanSummary.assumedFLOPSPerThread`) where the kernel reaches about 250 on one
/// Zen 5 core (README "Build settings"). Applied to a rate measured on the submitting machine, it
/// scales the estimate with that machine's speed.
let trainingShareOfGEMM = 20.0 / 250

/// FLOP/s that training sustains here on `threads` threads, from about 0.1 s of float32 GEMM on
/// a convolution-shaped product (im2col of a 3×3×32 kernel over a 64×64 map: 4096×288 · 288×64).
func measuredTrainingRate(threads: Int) -> Double {
    let (m, n, k) = (4096, 64, 288)
    let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
    var c = [Float](repeating: 0, count: m * n)
    let saved = Parallel.threadCount
    Parallel.threadCount = threads
    defer { Parallel.threadCount = saved }
    var calls = 0
    var elapsed = 0.0
    c.withUnsafeMutableBufferPointer { c in
        let output = c.baseAddress!
        let multiply = { gemm(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: output, ldc: n) }
        multiply()  // warm-up: packing buffers, page faults
        let start = DispatchTime.now().uptimeNanoseconds
        while elapsed < 0.1 {
            multiply()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
    }
    return 2 * Double(m * n * k) * Double(calls) / elapsed * trainingShareOfGEMM
}
