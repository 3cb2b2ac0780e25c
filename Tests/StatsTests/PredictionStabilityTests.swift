import Testing
@testable import Stats

/// Flip rate, agreement and the instability ranking on hand-made prediction tables.
@Suite struct PredictionStabilityTests {
    /// Five images at three sizes; counted by hand:
    ///     image   8 px  16 px  32 px   changes
    ///     0       1     1      1       0
    ///     1       2     3      2       2
    ///     2       0     0      4       1
    ///     3       5     −1     6       0 (no prediction at 16 px: neither pair counts)
    ///     4       7     8      9       2 (three distinct classes)
    static let table = [[1, 2, 0, 5, 7], [1, 3, 0, -1, 8], [1, 2, 4, 6, 9]]

    @Test func flipRateCountsImagesPredictedInBoth() throws {
        // 8 → 16 px: images 1 and 4 flip among the 4 predicted at both sizes.
        #expect(PredictionStability.flipRate(Self.table[0], Self.table[1]) == 0.5)
        // 16 → 32 px: images 1, 2, 4 flip among 4.
        #expect(PredictionStability.flipRate(Self.table[1], Self.table[2]) == 0.75)
        // 8 → 32 px: images 2, 3, 4 of 5.
        #expect(PredictionStability.flipRate(Self.table[0], Self.table[2]) == 0.6)
        #expect(PredictionStability.flipRate([-1, 2], [3, -1]) == nil)
    }

    @Test func agreementIsOneForIdenticalPredictions() {
        #expect(PredictionStability.agreement(Self.table[0], Self.table[0]) == 1)
        #expect(PredictionStability.agreement([0, 1, 2, 3], [0, 1, 0, 0]) == 0.5)
    }

    @Test func changesAndRanking() {
        #expect(PredictionStability.changes(Self.table) == [0, 2, 1, 0, 2])
        // Images 1 and 4 change twice; 4 has three distinct classes, 1 two; then image 2.
        #expect(PredictionStability.mostUnstable(Self.table, count: 20) == [4, 1, 2])
        #expect(PredictionStability.mostUnstable(Self.table, count: 2) == [4, 1])
        #expect(PredictionStability.mostUnstable([[3, 3]], count: 5).isEmpty)
    }
}
