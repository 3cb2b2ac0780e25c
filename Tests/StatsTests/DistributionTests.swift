import Testing
@testable import Stats

/// Quantiles, Wilson intervals and seed summaries against scipy (Fixtures/stats, written by
/// scripts/reference/stats_reference.py). Tolerance 1e-10: both sides are double-precision
/// evaluations of the same closed forms; the quantiles go through iterative solvers.
@Suite struct DistributionTests {
    @Test func quantilesMatchScipy() throws {
        for row in try ReferenceTable("quantiles.csv").rows {
            let p = row.double("p")
            let actual = row["distribution"] == "normal"
                ? normalQuantile(p) : StudentT(degreesOfFreedom: row.double("df")).quantile(p)
            #expect(close(actual, row.double("quantile"), 1e-10), "\(row): got \(actual)")
        }
    }

    @Test func tCDFInvertsTheQuantile() {
        let t = StudentT(degreesOfFreedom: 7)
        for p in [0.01, 0.3, 0.5, 0.8, 0.999] {
            #expect(abs(t.cdf(t.quantile(p)) - p) < 1e-12)
        }
    }

    @Test func wilsonIntervalsMatchScipy() throws {
        for row in try ReferenceTable("wilson.csv").rows {
            let interval = wilsonInterval(successes: row.int("successes"), trials: row.int("trials"),
                                          confidence: row.double("confidence"))
            #expect(close(interval.lower, row.double("lower"), 1e-10), "\(row): got \(interval)")
            #expect(close(interval.upper, row.double("upper"), 1e-10), "\(row): got \(interval)")
        }
    }

    @Test func wilsonIntervalOfNoTrialsIsEverything() {
        #expect(wilsonInterval(successes: 0, trials: 0) == Interval(lower: 0, upper: 1))
    }

    @Test func seedSummariesMatchScipy() throws {
        for row in try ReferenceTable("seeds.csv").rows {
            let summary = SeedSummary(row.doubles("values"))
            #expect(close(summary.mean, row.double("mean"), 1e-12))
            #expect(close(summary.standardDeviation, row.double("sd"), 1e-12))
            #expect(close(summary.interval?.lower ?? .nan, row.double("lower"), 1e-10), "\(row)")
            #expect(close(summary.interval?.upper ?? .nan, row.double("upper"), 1e-10), "\(row)")
        }
    }
}
