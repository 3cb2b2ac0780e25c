import Dispatch
import Foundation
import Kernels
import NN

/// One multiply to time: C (M×N) = op(A) (M×K) · op(B) (K×N), operands stored densely.
public struct GEMMShape: Sendable, Equatable {
    public var name: String
    public var transposeA = false, transposeB = false
    public var m: Int, n: Int, k: Int

    public init(name: String, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int) {
        self.name = name
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.m = m
        self.n = n
        self.k = k
    }

    /// Floating-point operations of one multiply: 2 per multiply-add.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

    /// 512³ and the reference CNN's convolutions at batch 64, 32×32 (im2col of 3×3 kernels):
    /// forward cols (NHW × 9C) · W (9C × C′), and backward dW = colsᵀ · dOut, dCols = dOut · Wᵀ.
    public static let benchmarkSet: [GEMMShape] = [
        GEMMShape(name: "512³", m: 512, n: 512, k: 512),
        GEMMShape(name: "conv2 fwd", m: 16384, n: 64, k: 288),
        GEMMShape(name: "conv3 fwd", m: 4096, n: 128, k: 576),
        GEMMShape(name: "conv2 dW (Aᵀ)", transposeA: true, m: 288, n: 64, k: 16384),
        GEMMShape(name: "conv2 dCols (Bᵀ)", transposeB: true, m: 16384, n: 288, k: 64),
        GEMMShape(name: "conv3 dW (Aᵀ)", transposeA: true, m: 576, n: 128, k: 4096),
        GEMMShape(name: "conv3 dCols (Bᵀ)", transposeB: true, m: 4096, n: 576, k: 128),
    ]
}

/// Timings of one shape at one thread count, in seconds per multiply.
public struct GEMMTiming: Sendable {
    public var shape: GEMMShape
    public var threads: Int
    /// Fastest and median of the timed samples; each sample averages enough back-to-back calls
    /// to last ≥ 20 ms.
    public var best: Double, median: Double
    /// Fastest sample measured in process CPU time per multiply divided by the thread count: what
    /// a core does while it runs this multiply, less sensitive to other programs sharing the CPU.
    public var bestCPU: Double
    public var samples: Int

    /// GFLOP/s of the fastest sample.
    public var gflops: Double { shape.flops / best / 1e9 }
    /// GFLOP/s of the median sample.
    public var medianGFLOPs: Double { shape.flops / median / 1e9 }
    /// GFLOP/s of the fastest sample in CPU time, × threads.
    public var cpuGFLOPs: Double { shape.flops / bestCPU / 1e9 }
}

/// Times `gemm` on `shape` with `threads` threads: one warm-up call, then `samples` samples.
/// Operands are filled with a fixed pattern in [-1, 1]. `Parallel.threadCount` is restored after.
public func timeGEMM(_ shape: GEMMShape, threads: Int, samples: Int = 9) -> GEMMTiming {
    let saved = Parallel.threadCount
    Parallel.threadCount = threads
    defer { Parallel.threadCount = saved }
    let (m, n, k) = (shape.m, shape.n, shape.k)
    let a = (0..<(m * k)).map { Float(($0 * 7919) % 2001 - 1000) / 1000 }
    let b = (0..<(k * n)).map { Float(($0 * 104_729) % 2001 - 1000) / 1000 }
    var c = [Float](repeating: 0, count: m * n)
    let perSample = 20_000_000 as UInt64  // ns
    var times: [Double] = [], cpuTimes: [Double] = []
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                let (aBase, bBase, cBase) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                let call = {
                    gemm(
                        transposeA: shape.transposeA, transposeB: shape.transposeB, m: m, n: n, k: k,
                        a: aBase, lda: shape.transposeA ? m : k, b: bBase, ldb: shape.transposeB ? k : n,
                        c: cBase, ldc: n)
                }
                call()
                for _ in 0..<samples {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
                    var calls = 0, elapsed: UInt64 = 0
                    repeat {
                        call()
                        calls += 1
                        elapsed = DispatchTime.now().uptimeNanoseconds - start
                    } while elapsed < perSample
                    times.append(Double(elapsed) / 1e9 / Double(calls))
                    cpuTimes.append((processCPUSeconds() - cpuStart) / Double(calls * threads))
                }
            }
        }
    }
    times.sort()
    return GEMMTiming(
        shape: shape, threads: threads, best: times[0], median: times[times.count / 2],
        bestCPU: cpuTimes.min()!, samples: samples)
}
