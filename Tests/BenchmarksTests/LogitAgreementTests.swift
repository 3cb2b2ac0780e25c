import Testing
@testable import Benchmarks

/// `bench onnx`'s check that reslab and ONNX Runtime computed the same logits before their
/// speeds are compared: the figures, the warning past 1e-4 of the largest logit, and the cases
/// that must never pass (a NaN, a different count).
struct LogitAgreementTests {
    @Test func agreementWithinTheToleranceIsOneLineOfFigures() throws {
        let agreement = try #require(LogitAgreement(reslab: [1, -20, 3.0001], peer: [1, -20, 3]))
        #expect(abs(agreement.largestDifference - 1e-4) < 1e-6 && agreement.largestLogit == 20)
        #expect(agreement.agrees, "a difference of 5e-6 of the largest logit is within 1e-4")
        let lines = agreement.lines(peer: "ONNX Runtime", batch: 1)
        #expect(lines == ["logits of one random batch of 1 (3 values): largest |reslab − ONNX Runtime| 1.0e-04, 5.0e-06 of the largest |logit| (2.0e+01)"],
                "\(lines)")
    }

    @Test func aLargerDifferenceWarnsThatTheTimingsCompareDifferentResults() throws {
        let agreement = try #require(LogitAgreement(reslab: [1, 2.01], peer: [1, 2]))
        #expect(!agreement.agrees)
        let lines = agreement.lines(peer: "ONNX Runtime", batch: 1)
        #expect(lines.count == 2 && lines[1].hasPrefix("warning: reslab's logits differ from ONNX Runtime's by more than 1.0e-04 of the largest"),
                "\(lines)")
    }

    @Test func aNaNOrADifferentCountNeverAgrees() throws {
        let nan = try #require(LogitAgreement(reslab: [1, .nan, 3], peer: [1, 2, 3]))
        #expect(!nan.agrees, "a NaN logit is a disagreement, whatever the other values")
        #expect(LogitAgreement(reslab: [1, 2], peer: [1, 2, 3]) == nil)
        #expect(LogitAgreement(reslab: [], peer: []) == nil)
    }
}
