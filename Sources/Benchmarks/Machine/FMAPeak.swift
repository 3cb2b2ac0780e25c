import Dispatch
import Foundation
import Kernels

/// This machine's float32 FMA peak, measured on the spot: the "100%" of the benchmarks' "% of
/// peak" (a Zen 5 core reaches ~271 GFLOP/s, a Zen 4 core, which runs AVX-512 as two 256-bit
/// halves, about half; a stored constant would be wrong on one of them).
public enum FMAPeak {
    /// Independent FMA chains per thread: with 4-cycle latency and 2 FMA pipes, 8 chains keep
    /// every pipe busy; 12 leave margin and still fit the registers (12 + 2 of AVX2's 16).
    static let chains = 12
    /// FLOPs of one loop iteration: `chains` FMAs of a full register (16 lanes with AVX-512, 8
    /// with AVX2: 12 `SIMD16` chains need 24 AVX2 registers and spilled, measuring 46–83
    /// GFLOP/s on one Zen 3 core that the GEMM outran), 2 FLOPs each.
    static var flopsPerIteration: Double { Double(chains * TargetSIMD.floatsPerRegister * 2) }

    /// One measurement at a thread count.
    public struct Rate: Sendable {
        /// GFLOP/s summed over the threads, in wall time: what the threads got while other
        /// programs shared the cores.
        public var wall: Double
        /// GFLOP/s of one thread per second of its own CPU time (the slowest thread of the best
        /// window): a core's peak while it runs, which other load on the machine does not lower.
        public var perCore: Double
    }

    /// The FMA loop on `threads` threads: the best of `windows` windows of about `seconds`.
    public static func measure(threads: Int, windows: Int = 5, seconds: Double = 0.1) -> Rate {
        let seed: Float = Float(threads) * 1e-9 + 0.9999999  // not a compile-time constant
        var iterations = 1 << 16
        // Grow the loop until one call lasts ~`seconds` on one thread.
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = fmaLoop(iterations: iterations, scale: seed)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if elapsed >= seconds / 4 || iterations >= 1 << 30 {
                iterations = max(1, Int(Double(iterations) * seconds / max(elapsed, 1e-9)))
                break
            }
            iterations *= 4
        }
        let flops = Double(iterations) * flopsPerIteration
        var best = Rate(wall: 0, perCore: 0)
        let cpuSeconds = UnsafeMutablePointer<Double>.allocate(capacity: threads)
        defer { cpuSeconds.deallocate() }
        for _ in 0..<windows {
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                let cpuStart = threadCPUSeconds()
                let sum = fmaLoop(iterations: iterations, scale: seed)
                cpuSeconds[thread] = threadCPUSeconds() - cpuStart + (sum.isNaN ? 1 : 0)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let slowest = (0..<threads).map { cpuSeconds[$0] }.max()!
            best.wall = max(best.wall, Double(threads) * flops / elapsed / 1e9)
            best.perCore = max(best.perCore, flops / max(slowest, 1e-9) / 1e9)
        }
        return best
    }

    /// `iterations` rounds of `chains` independent x ← x·s + c on full registers (one FMA each,
    /// converging to c / (1 − s), so no overflow or denormals); returns a sum so nothing is dropped.
    static func fmaLoop(iterations: Int, scale: Float) -> Float {
        TargetSIMD.hasAVX512 ? fmaLoop(SIMD16<Float>.self, iterations: iterations, scale: scale)
            : fmaLoop(SIMD8<Float>.self, iterations: iterations, scale: scale)
    }

    @inline(never)
    private static func fmaLoop<Vector: SIMD>(_: Vector.Type, iterations: Int, scale: Float) -> Float where Vector.Scalar == Float {
        let s = Vector(repeating: scale), c = Vector(repeating: 1e-7)
        var a0 = Vector(repeating: 0.1), a1 = a0 + 0.01, a2 = a0 + 0.02, a3 = a0 + 0.03
        var a4 = a0 + 0.04, a5 = a0 + 0.05, a6 = a0 + 0.06, a7 = a0 + 0.07
        var a8 = a0 + 0.08, a9 = a0 + 0.09, a10 = a0 + 0.1, a11 = a0 + 0.11
        for _ in 0..<iterations {
            a0 = c.addingProduct(a0, s); a1 = c.addingProduct(a1, s); a2 = c.addingProduct(a2, s)
            a3 = c.addingProduct(a3, s); a4 = c.addingProduct(a4, s); a5 = c.addingProduct(a5, s)
            a6 = c.addingProduct(a6, s); a7 = c.addingProduct(a7, s); a8 = c.addingProduct(a8, s)
            a9 = c.addingProduct(a9, s); a10 = c.addingProduct(a10, s); a11 = c.addingProduct(a11, s)
        }
        let total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11))
        return total.sum()
    }

    /// CPU seconds the calling thread has run.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
