@testable import Kernels

/// One GEMM problem as the tests store it: op(A) (M×K), op(B) (K×N), C (M×N), each stored
/// row-major with a row stride that may exceed its width (the padding holds NaN, so reading it
/// would poison the result), and C's padding must come back untouched.
struct GEMMProblem: CustomStringConvertible {
    var transposeA = false, transposeB = false
    var m: Int, n: Int, k: Int
    /// Extra floats at the end of every stored row of A, B and C.
    var padding = 0
    var accumulate = false

    var lda: Int { (transposeA ? m : k) + padding }
    var ldb: Int { (transposeB ? k : n) + padding }
    var ldc: Int { n + padding }
    var description: String {
        "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB) pad=\(padding) acc=\(accumulate)"
    }

    /// Stored A, B and the initial C: values in [-1, 1) on a 2⁻²³ grid, scrambled by Knuth's
    /// multiplicative hash of (seed, matrix, index); NaN in the padding.
    func operands(seed: UInt64) -> (a: [Float], b: [Float], c: [Float]) {
        var counter = seed &* 0x9E37_79B9_7F4A_7C15
        func matrix(rows: Int, width: Int, stride: Int) -> [Float] {
            var values = [Float](repeating: .nan, count: max(1, rows * stride))
            for r in 0..<rows {
                for j in 0..<width {
                    counter &+= 1
                    let bits = (counter &* 0x9E37_79B9_7F4A_7C15) >> 40  // 24 well-mixed bits
                    values[r * stride + j] = Float(Int64(bits) - (1 << 23)) * 0x1p-23
                }
            }
            return values
        }
        return (
            transposeA ? matrix(rows: k, width: m, stride: lda) : matrix(rows: m, width: k, stride: lda),
            transposeB ? matrix(rows: n, width: k, stride: ldb) : matrix(rows: k, width: n, stride: ldb),
            matrix(rows: m, width: n, stride: ldc))
    }

    /// Runs `Kernels.gemm` on copies of the operands and returns C.
    func run(_ a: [Float], _ b: [Float], _ c: [Float]) -> [Float] {
        var c = c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemm(
                        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                        a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                        c: c.baseAddress!, ldc: ldc, accumulate: accumulate)
                }
            }
        }
        return c
    }

    /// The straightforward triple loop in Double, and for each element of C the bound on a float32
    /// result's error: at most 2K + 2 roundings (K multiply-adds, one per K block when the block
    /// sum is added to C, one for the initial C), each ≤ u = 2⁻²⁴ relative to the running sum,
    /// give |error| ≤ (2K + 2)·u·(Σ_p |A(i,p)·B(p,j)| + |C₀(i,j)|) (Higham, "Accuracy and
    /// Stability of Numerical Algorithms", §3.1, first order).
    func reference(_ a: [Float], _ b: [Float], _ c: [Float]) -> (value: [Double], bound: [Double]) {
        var value = [Double](repeating: 0, count: m * n), bound = value
        let u = 0x1p-24
        for i in 0..<m {
            for j in 0..<n {
                var sum = accumulate ? Double(c[i * ldc + j]) : 0
                var magnitude = abs(sum)
                for p in 0..<k {
                    let x = Double(transposeA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
                    sum += x * y
                    magnitude += abs(x * y)
                }
                value[i * n + j] = sum
                bound[i * n + j] = Double(2 * k + 2) * u * magnitude
            }
        }
        return (value, bound)
    }
}
