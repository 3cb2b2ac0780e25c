import Testing
@testable import Stats
import SeededRandom

/// McNemar p-values, Holm adjustment and the paired bootstrap against scipy/numpy references,
/// the edge cases, and the two behaviours findings rely on: chance differences come out
/// "indistinguishable", a real 10-point difference does not.
@Suite struct PairedComparisonTests {
    /// Relative 1e-9: lgamma's rounding on arguments up to 10⁴ bounds the p-value's relative error.
    @Test func mcNemarMatchesScipyBinomtest() throws {
        for row in try ReferenceTable("mcnemar.csv").rows {
            let p = exactMcNemarPValue(onlyFirstRight: row.int("b"), onlySecondRight: row.int("c"))
            let expected = row.double("p")
            #expect(abs(p - expected) <= 1e-9 * expected, "\(row): got \(p)")
        }
    }

    @Test func identicalAllRightAndAllWrongTablesGivePOne() {
        let allRight = PairedOutcomes(first: [Bool](repeating: true, count: 50), second: [Bool](repeating: true, count: 50))
        let allWrong = PairedOutcomes(first: [Bool](repeating: false, count: 50), second: [Bool](repeating: false, count: 50))
        let mixed = (0..<50).map { $0 % 3 == 0 }
        for outcomes in [allRight, allWrong, PairedOutcomes(first: mixed, second: mixed)] {
            #expect(outcomes.mcNemarPValue == 1)
            #expect(outcomes.difference == 0)
            #expect(pairedBootstrapInterval(outcomes) == Interval(lower: 0, upper: 0))
            #expect(PairedComparison(outcomes).verdict() == .indistinguishable)
        }
    }

    @Test func holmMatchesTheStepDownDefinition() throws {
        for row in try ReferenceTable("holm.csv").rows {
            let adjusted = holmAdjusted(row.doubles("p"))
            for (actual, expected) in zip(adjusted, row.doubles("adjusted")) {
                #expect(close(actual, expected, 1e-15), "\(row): got \(adjusted)")
            }
        }
    }

    /// numpy ran 20,000 replicates; ours runs 2,000, whose 2.5% quantile has a Monte Carlo
    /// standard error of about 0.0005 on these tables: allow 0.002.
    @Test func bootstrapAgreesWithNumpyWithinMonteCarloError() throws {
        for row in try ReferenceTable("bootstrap.csv").rows {
            let (n, b, c) = (row.int("images"), row.int("b"), row.int("c"))
            let first = (0..<n).map { $0 < b }
            let second = (0..<n).map { $0 >= b && $0 < b + c }
            let interval = pairedBootstrapInterval(PairedOutcomes(first: first, second: second))
            #expect(abs(interval.lower - row.double("lower")) < 0.002, "\(row): got \(interval)")
            #expect(abs(interval.upper - row.double("upper")) < 0.002, "\(row): got \(interval)")
        }
    }

    @Test func bootstrapIsDeterministicForASeed() {
        let first = (0..<300).map { $0 % 4 != 0 }
        let second = (0..<300).map { $0 % 5 != 0 }
        let outcomes = PairedOutcomes(first: first, second: second)
        #expect(pairedBootstrapInterval(outcomes, seed: 7) == pairedBootstrapInterval(outcomes, seed: 7))
        #expect(pairedBootstrapInterval(outcomes, seed: 7) != pairedBootstrapInterval(outcomes, seed: 8))
    }

    @Test func boundedRandomIntegersAreUniform() {
        var generator = SplitMix64(seed: 1)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[generator.next(below: 6)] += 1 }
        // Each count is Binomial(60000, 1/6): mean 10000, standard deviation 91.
        #expect(counts.allSatisfy { abs($0 - 10_000) < 400 }, "\(counts)")
    }

    /// Two evaluations of the same predictions against labels flipped at random at 5%, with two
    /// different flip seeds, differ by chance only.
    @Test func chanceDifferenceIsIndistinguishable() {
        let evaluation = SimulatedEvaluation(images: 2000, accuracy: 0.7, seed: 1)
        let a = evaluation.correct(flipRate: 0.05, seed: 11)
        let b = evaluation.correct(flipRate: 0.05, seed: 12)
        let comparison = PairedComparison(PairedOutcomes(first: a, second: b))
        #expect(comparison.verdict() == .indistinguishable, "p = \(comparison.pValue)")
        #expect(comparison.interval.contains(0))
    }

    @Test func tenPointDifferenceIsSignificant() {
        let evaluation = SimulatedEvaluation(images: 2000, accuracy: 0.7, seed: 1)
        let good = evaluation.correct(flipRate: 0.05, seed: 11)
        var worse = evaluation.correct(flipRate: 0.05, seed: 12)
        // Make 200 of the images the model got right wrong: 10 points lower.
        for i in worse.indices.filter({ worse[$0] }).prefix(200) { worse[i] = false }
        let comparisons = [PairedComparison(PairedOutcomes(first: good, second: worse))].holmCorrected()
        #expect(comparisons[0].verdict() == .firstBetter, "p = \(comparisons[0].adjustedPValue)")
        #expect(comparisons[0].interval.lower > 0.05)
    }
}

/// Predictions of a 10-class model that is right on a fraction `accuracy` of the images.
struct SimulatedEvaluation {
    let labels: [Int]
    let predictions: [Int]

    init(images: Int, accuracy: Double, seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        labels = (0..<images).map { _ in generator.next(below: 10) }
        predictions = labels.map { label in
            Double(generator.next(below: 1_000_000)) < accuracy * 1_000_000
                ? label : (label + 1 + generator.next(below: 9)) % 10
        }
    }

    /// Right/wrong per image after replacing each label, with probability `flipRate`, by another class.
    func correct(flipRate: Double, seed: UInt64) -> [Bool] {
        var generator = SplitMix64(seed: seed)
        return zip(labels, predictions).map { label, predicted in
            let flipped = Double(generator.next(below: 1_000_000)) < flipRate * 1_000_000
            let noisy = flipped ? (label + 1 + generator.next(below: 9)) % 10 : label
            return predicted == noisy
        }
    }
}
