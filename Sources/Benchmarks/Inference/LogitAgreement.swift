/// How far reslab's logits are from a peer's on the same batch (`bench onnx`: ONNX Runtime on
/// the timed file), so that a speed is never compared against a different result: the largest
/// |reslab − peer| over every logit, and that as a fraction of the largest |peer logit|.
public struct LogitAgreement {
    /// The fraction above which the benchmark warns: the importer's parity tests hold the
    /// fixture models to 1e-4 of the largest logit (`ONNXTests`).
    public static let tolerance = 1e-4

    public let largestDifference: Double
    public let largestLogit: Double
    public let count: Int

    /// nil when the two differ in count (a model whose outputs reslab reads otherwise).
    public init?(reslab: [Float], peer: [Float]) {
        guard reslab.count == peer.count, !peer.isEmpty else { return nil }
        let differences = zip(reslab, peer).map { abs(Double($0) - Double($1)) }
        largestDifference = differences.contains(where: \.isNaN) ? .nan : differences.max()!
        largestLogit = peer.map { abs(Double($0)) }.max()!
        count = peer.count
    }

    /// The difference relative to the largest logit (NaN, from a NaN logit on either side, never agrees).
    public var relative: Double { largestDifference / max(largestLogit, .leastNormalMagnitude) }
    public var agrees: Bool { relative <= LogitAgreement.tolerance }

    /// The lines `bench onnx` prints: the figures, and a warning when they disagree.
    public func lines(peer: String, batch: Int) -> [String] {
        let figures = "logits of one random batch of \(batch) (\(count) values): largest |reslab − \(peer)| "
            + "\(Figure.scientific(largestDifference)), \(Figure.scientific(relative)) of the largest |logit| (\(Figure.scientific(largestLogit)))"
        guard agrees else {
            return [figures, "warning: reslab's logits differ from \(peer)'s by more than \(Figure.scientific(LogitAgreement.tolerance)) "
                    + "of the largest: the timings above compare different results; check the import (docs/onnx.md)"]
        }
        return [figures]
    }
}
