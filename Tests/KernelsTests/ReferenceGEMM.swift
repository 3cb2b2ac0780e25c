@testable import Kernels

/// One GEMM problem as the tests store it: op(A) (M×K), op(B) (K×N), C (M×N), each stored
/// row-major with a row stride that may exceed its width (the padding holds NaN, so reading it
/// would poison the result), and C's padding must come back untouched.
struct GEMMProblem: CustomStringConvertible {
    /// The epilogue to request, with the bias drawn with the operands; `biasClip` clamps to
    /// `clip`, [−0.5, 0.5], which most sums pass one bound of (as a fused ReLU6 would).
    enum Epilogue { case none, bias, biasReLU, biasClip }
    static let clip = StoreClamp(lower: -0.5, upper: 0.5)

    /// The clamp the epilogue applies last.
    var clamp: StoreClamp {
        switch epilogue {
        case .none, .bias: .none
        case .biasReLU: .relu
        case .biasClip: GEMMProblem.clip
        }
    }

    var transposeA = false, transposeB = false
    var m: Int, n: Int, k: Int
    /// Extra floats at the end of every stored row of A, B and C.
    var padding = 0
    var accumulate = false
    var epilogue = Epilogue.none

    var lda: Int { (transposeA ? m : k) + padding }
    var ldb: Int { (transposeB ? k : n) + padding }
    var ldc: Int { n + padding }
    var description: String {
        "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB) pad=\(padding) acc=\(accumulate) \(epilogue)"
    }

    /// Stored A, B, the initial C and a bias row (N).
    struct Operands { var a, b, c, bias: [Float] }

    /// Operands with values in [-1, 1) on a 2⁻²³ grid, scrambled by Knuth's multiplicative hash
    /// of (seed, position in the draw); NaN in the padding.
    func operands(seed: UInt64) -> Operands {
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
        return Operands(
            a: transposeA ? matrix(rows: k, width: m, stride: lda) : matrix(rows: m, width: k, stride: lda),
            b: transposeB ? matrix(rows: n, width: k, stride: ldb) : matrix(rows: k, width: n, stride: ldb),
            c: matrix(rows: m, width: n, stride: ldc),
            bias: matrix(rows: 1, width: n, stride: n))
    }

    /// Runs `Kernels.gemm` on copies of the operands and returns C.
    func run(_ x: Operands) -> [Float] {
        var c = x.c
        x.a.withUnsafeBufferPointer { a in
            x.b.withUnsafeBufferPointer { b in
                x.bias.withUnsafeBufferPointer { bias in
                    c.withUnsafeMutableBufferPointer { c in
                        let (a, b, c, bias) = (a.baseAddress!, b.baseAddress!, c.baseAddress!, bias.baseAddress!)
                        switch epilogue {
                        case .none:
                            gemm(
                                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
                        case .bias, .biasReLU, .biasClip:
                            gemm(
                                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate,
                                epilogue: GEMMEpilogue(bias: bias, clamp: clamp))
                        }
                    }
                }
            }
        }
        return c
    }

    /// The straightforward triple loop in Double, and for each element of C the bound on a float32
    /// result's error: at most 2K + 3 roundings (K multiply-adds, one per K block when the block
    /// sum is added to C, one each for the initial C and the bias), each ≤ u = 2⁻²⁴ relative to
    /// the running sum, give |error| ≤ (2K + 3)·u·(Σ_p |A(i,p)·B(p,j)| + |C₀(i,j)| + |bias(j)|)
    /// (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1, first order). A clamp
    /// (ReLU, clip) is exact and moves no value farther from the clamped reference.
    func reference(_ x: Operands) -> (value: [Double], bound: [Double]) {
        var value = [Double](repeating: 0, count: m * n), bound = value
        let u = 0x1p-24
        for i in 0..<m {
            for j in 0..<n {
                var sum = (accumulate ? Double(x.c[i * ldc + j]) : 0) + (epilogue == .none ? 0 : Double(x.bias[j]))
                var magnitude = (accumulate ? abs(Double(x.c[i * ldc + j])) : 0) + (epilogue == .none ? 0 : abs(Double(x.bias[j])))
                for p in 0..<k {
                    let product = Double(transposeA ? x.a[p * lda + i] : x.a[i * lda + p])
                        * Double(transposeB ? x.b[j * ldb + p] : x.b[p * ldb + j])
                    sum += product
                    magnitude += abs(product)
                }
                value[i * n + j] = min(max(sum, Double(clamp.lower)), Double(clamp.upper))
                bound[i * n + j] = Double(2 * k + 3) * u * magnitude
            }
        }
        return (value, bound)
    }

    /// C in float32 summed in the kernels' documented order (`GEMMTests.sumsInTheDocumentedOrderBitForBit`):
    /// per K block of `blockDepth`, s = (bias on the first block, else 0) then s = fma(A, B, s)
    /// step by step; C = s on the first block unless accumulating, else C + s; the clamp last.
    func inDocumentedOrder(_ x: Operands, blockDepth: Int) -> [Float] {
        var result = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var value = x.c[i * ldc + j]
                var p0 = 0
                while p0 < k {
                    var sum: Float = p0 == 0 && epilogue != .none ? x.bias[j] : 0
                    for p in p0..<min(k, p0 + blockDepth) {
                        let a = transposeA ? x.a[p * lda + i] : x.a[i * lda + p]
                        let b = transposeB ? x.b[j * ldb + p] : x.b[p * ldb + j]
                        sum = sum.addingProduct(a, b)
                    }
                    value = p0 == 0 && !accumulate ? sum : value + sum
                    p0 += blockDepth
                }
                result[i * n + j] = clamp(value)
            }
        }
        return result
    }
}
