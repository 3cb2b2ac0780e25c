/// What the build's target CPU gives the kernels (Package.swift's `targetHasAVX512` defines
/// `RESLAB_AVX512` for Kernels).
public enum TargetSIMD {
    /// Whether Kernels was compiled for AVX-512: 32 vector registers of 16 floats. Otherwise
    /// (AVX2: 16 registers of 8 floats) the micro-kernel computes its 8 × 32 tile in parts of
    /// 6 × 16 and 2 × 32, or 4 × 16 quarters on shallow K blocks (`MicroKernel.uncheckedTile`).
    #if RESLAB_AVX512
    public static let hasAVX512 = true
    #else
    public static let hasAVX512 = false
    #endif

    /// Floats per vector register: 16 with AVX-512, else 8.
    public static var floatsPerRegister: Int { hasAVX512 ? 16 : 8 }

    /// The micro-kernel as the benchmarks name it.
    public static var tileDescription: String {
        hasAVX512 ? "8 × 32 tile, 16 SIMD16 accumulators (AVX-512)" : "8 × 32 tile as two 6 × 16 parts and one 2 × 32 (12 and 8 SIMD8 accumulators; 4 × 16 quarters on K blocks under \(MicroKernel.sixRowMinimumDepth) deep; no AVX-512)"
    }
}
