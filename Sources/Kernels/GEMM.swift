/// Single-precision matrix multiply, row-major:
///
///     C (M×N) = op(A) (M×K) · op(B) (K×N)          (accumulate == false)
///     C (M×N) += op(A) (M×K) · op(B) (K×N)         (accumulate == true)
///
/// `op(X)` is X, or Xᵀ when `transposeX` is set: A is stored (M×K) with row stride `lda`, or
/// (K×M) when transposed; B is stored (K×N) with row stride `ldb`, or (N×K) when transposed.
///
/// This is the reference triple loop; the fast kernel replaces its body behind the same signature.
public func gemm(
    transposeA: Bool = false, transposeB: Bool = false,
    m: Int, n: Int, k: Int,
    a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    accumulate: Bool = false
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = accumulate ? c[i * ldc + j] : 0
            for p in 0..<k {
                let aValue = transposeA ? a[p * lda + i] : a[i * lda + p]
                let bValue = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                sum += aValue * bValue
            }
            c[i * ldc + j] = sum
        }
    }
}
