import Testing
@testable import Kernels

@Suite struct GEMMTests {
    /// Sizes around the 8 × 32 tile, the 256-deep K block and the parallel threshold, plus CNN-like
    /// shapes (k = 27 is a first 3×3 layer on RGB; n = 16 and 48 end in a 16-column tile, which
    /// loads and stores one vector).
    static let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (1, 1, 0), (3, 2, 0), (2, 3, 1), (7, 31, 5), (8, 32, 1), (9, 33, 17), (5, 70, 3),
        (16, 64, 256), (17, 65, 257), (8, 32, 513), (13, 100, 300), (100, 1, 3), (1, 100, 3),
        (64, 96, 27), (130, 70, 300), (47, 10, 129), (9, 16, 20), (13, 48, 300),
    ]

    static let problems: [GEMMProblem] = shapes.flatMap { shape in
        [false, true].flatMap { transposeA in
            [false, true].flatMap { transposeB in
                [(0, false), (3, true), (1, false), (0, true)].map { padding, accumulate in
                    GEMMProblem(
                        transposeA: transposeA, transposeB: transposeB,
                        m: shape.m, n: shape.n, k: shape.k, padding: padding, accumulate: accumulate)
                }
            }
        }
    }

    @Test(arguments: problems)
    func matchesTheDoubleTripleLoop(_ problem: GEMMProblem) {
        expectMatchesReference(problem, seed: UInt64(problem.m * 1_000_003 + problem.n * 1009 + problem.k))
    }

    /// The fused bias and clamp (ReLU; a clip to both bounds, as a fused ReLU6), on shapes with edge tiles, several K blocks and passes, K = 0,
    /// and the in-place 32-column B; (6, 58, 40) and (9, 27, 17) end in tiles of 26 and 27
    /// columns and 6 and 1 rows, which without AVX-512 split into 4 × 16 quarters of 10–11 columns
    /// and 2 or 1 rows (`MicroKernel.quarterTile`; K = 257 and 800 also into 6 × 16 and 2 × 32 parts).
    @Test(arguments: [GEMMProblem.Epilogue.bias, .biasReLU, .biasClip])
    func fusedEpilogueMatchesTheReference(_ epilogue: GEMMProblem.Epilogue) {
        let shapes = [(9, 33, 17), (3, 2, 0), (17, 65, 257), (130, 70, 800), (40, 32, 27), (5, 300, 2000), (11, 16, 40), (6, 58, 40), (9, 27, 17)]
        for (m, n, k) in shapes {
            for (transposeA, transposeB, accumulate) in [(false, false, false), (true, false, true), (false, true, true), (true, true, false)] {
                let problem = GEMMProblem(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                    accumulate: accumulate, epilogue: epilogue)
                expectMatchesReference(problem, seed: UInt64(m + n + k))
            }
        }
    }

    /// Every element of C is summed in one documented order whatever register tile the build cuts
    /// its 8 × 32 tiles into (AVX-512's whole tile; without it 6 × 16 and 2 × 32 parts on blocks of
    /// at least `MicroKernel.sixRowMinimumDepth`, 4 × 16 quarters on shallower ones): per K block
    /// (`GEMMBlocking.depth`), a float32 sum that starts from the bias (first block) or zero and
    /// takes one fused multiply-add per step in depth order, then is added to C (unless the first
    /// block overwrites it), with ReLU after the last. A scalar model of that order must agree bit
    /// for bit, on every row count of an edge tile (m = 8t + 1 … 8t + 7) and on right-edge tiles.
    @Test func sumsInTheDocumentedOrderBitForBit() {
        let cases: [(m: Int, n: Int, k: Int, epilogue: GEMMProblem.Epilogue, accumulate: Bool)] = [
            (21, 45, 300, .bias, false), (15, 64, 96, .none, true), (14, 32, 95, .biasReLU, true),
            (23, 20, 577, .biasReLU, false), (8, 33, 1000, .none, false), (17, 16, 200, .bias, true),
            (22, 90, 27, .biasReLU, true), (19, 40, 130, .none, true), (13, 28, 288, .bias, true),
            (21, 45, 300, .biasClip, false), (14, 32, 95, .biasClip, true),
        ]
        for (m, n, k, epilogue, accumulate) in cases {
            for (transposeA, transposeB) in [(false, false), (true, true)] {
                let problem = GEMMProblem(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          padding: 1, accumulate: accumulate, epilogue: epilogue)
                let operands = problem.operands(seed: UInt64(m * 7919 + n * 31 + k))
                let c = problem.run(operands)
                let expected = problem.inDocumentedOrder(operands, blockDepth: GEMMBlocking.depth(k: k))
                var mismatches: [(Int, Int)] = []
                for i in 0..<m {
                    for j in 0..<n where c[i * problem.ldc + j].bitPattern != expected[i * n + j].bitPattern {
                        mismatches.append((i, j))
                    }
                }
                #expect(mismatches.isEmpty, "\(problem): \(mismatches.count) elements differ, the first at \(String(describing: mismatches.first))")
            }
        }
    }

    /// More than `GEMMBlocking.passFloats` packed floats: B is packed and multiplied in passes of
    /// K rows and of columns (5 × 384 + 129 rows by 3 × 672 + 34 columns here).
    @Test func wideBIsMultipliedInSeveralPasses() {
        for transposeB in [false, true] {
            expectMatchesReference(
                GEMMProblem(transposeB: transposeB, m: 3, n: 2050, k: 2049, padding: 1, accumulate: true), seed: 7)
        }
    }

    /// Rows are split across threads in whole tiles and every element is summed in the same order,
    /// so 1 and 2 threads give bit-identical results.
    @Test func oneAndTwoThreadsAgreeExactly() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for transposeA in [false, true] {
            let problem = GEMMProblem(transposeA: transposeA, transposeB: !transposeA, m: 203, n: 70, k: 600, padding: 2)
            let operands = problem.operands(seed: 11)
            Parallel.threadCount = 1
            let one = problem.run(operands)
            Parallel.threadCount = 2
            let two = problem.run(operands)
            #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "\(problem)")
        }
    }

    /// `withPackedMatrices` packs each B_i as `withPackedMatrix` packs it alone: the same
    /// products bit for bit, on 1 and 2 threads (the matrices are packed across the threads).
    @Test func severalPackedMatricesEqualEachPackedAlone() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        let (m, k, n, ldb, count) = (29, 37, 45, 47, 5)
        let stride = k * ldb + 5
        func values(_ count: Int, _ seed: Int) -> [Float] { (0..<count).map { Float(($0 &* 7919 &+ seed) % 2001 - 1000) / 1000 } }
        let a = values(m * k, 1), b = values(count * stride, 2)
        for threads in [1, 2] {
            Parallel.threadCount = threads
            b.withUnsafeBufferPointer { b in
                let together: [[Float]] = withPackedMatrices(count: count, k: k, n: n, b: b.baseAddress!, ldb: ldb, stride: stride) { packed in
                    packed.map { matrix in
                        var c = [Float](repeating: .nan, count: m * n)
                        matrix.multiply(m: m, a: a, lda: k, c: &c, ldc: n)
                        return c
                    }
                }
                for i in 0..<count {
                    var alone = [Float](repeating: .nan, count: m * n)
                    withPackedMatrix(k: k, n: n, b: b.baseAddress! + i * stride, ldb: ldb) { $0.multiply(m: m, a: a, lda: k, c: &alone, ldc: n) }
                    #expect(together[i].map(\.bitPattern) == alone.map(\.bitPattern), "matrix \(i) on \(threads) threads")
                    #expect(!alone.contains { $0.isNaN })
                }
            }
        }
    }

    /// `RetainedGEMMOperand` packs B once in `gemm`'s passes: its products equal `gemm`'s bit
    /// for bit (so a dense layer's logits do not change when `predict` packs its weights once),
    /// on 1 and 2 threads, with C accumulated or overwritten: B in 3 × 672 + 34 columns by 5 ×
    /// 384 + 129 rows, a 1280×1000 classifier (2 × 4 passes), a 32-column B used as it lies by
    /// `gemm` (one pass 9,000 deep), and one small pass.
    @Test(arguments: [(3, 2050, 2049), (6, 1000, 1280), (5, 32, 9000), (33, 70, 100)])
    func retainedOperandEqualsGEMMBitForBit(_ m: Int, _ n: Int, _ k: Int) {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        for accumulate in [false, true] {
            let problem = GEMMProblem(m: m, n: n, k: k, accumulate: accumulate)
            let x = problem.operands(seed: 13)
            for threads in [1, 2] {
                Parallel.threadCount = threads
                let expected = problem.run(x)
                var c = x.c
                let operand = RetainedGEMMOperand(k: k, n: n, b: x.b, ldb: n)
                operand.multiply(m: m, a: x.a, lda: k, c: &c, ldc: n, accumulate: accumulate)
                #expect(c.map(\.bitPattern) == expected.map(\.bitPattern), "\(problem) on \(threads) threads")
                #expect(!c.contains { $0.isNaN } && c != x.c)
            }
        }
    }

    private func expectMatchesReference(_ problem: GEMMProblem, seed: UInt64) {
        let operands = problem.operands(seed: seed)
        let c = problem.run(operands)
        let (expected, bound) = problem.reference(operands)
        var worst = (excess: 0.0, index: -1)
        for i in 0..<problem.m {
            for j in 0..<problem.n {
                let error = abs(Double(c[i * problem.ldc + j]) - expected[i * problem.n + j])
                let excess = error - bound[i * problem.n + j]
                if excess > worst.excess || !(error.isFinite) { worst = (excess.isNaN ? .infinity : excess, i * problem.n + j) }
            }
            for j in problem.n..<problem.ldc {
                #expect(c[i * problem.ldc + j].isNaN, "\(problem): C padding at row \(i) column \(j) was written")
            }
        }
        #expect(worst.index < 0, "\(problem): element \(worst.index) is off by \(worst.excess) beyond its bound")
    }
}
