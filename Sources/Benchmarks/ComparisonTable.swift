/// The table `bench train` and `bench onnx` print, a row per `Comparison`: leading columns (the
/// thread count; the input size or the parameter count), then reslab's img/s, GFLOP/s, %peak,
/// img/CPU-s and ms per call, the peer's img/s, img/CPU-s and ms per call, and the ratio.
struct ComparisonTable {
    /// Titles of the leading columns.
    var leading: [String]
    /// The peer's name in the column titles ("numpy", "ORT", "JAX").
    var peer: String
    /// What one call is, for "ms/…": "step" or "batch".
    var call: String

    /// What the ratio column holds, printed once under a benchmark's heading.
    static let ratioNote = "ratio: median over the windows of reslab's img/s ÷ the peer's in its window timed after reslab's window of "
        + "that round, on the same CPU for one thread (the peer process stays up between its windows, scripts/peers/peer_common.py)"

    private var titles: [String] {
        leading + ["img/s", "GFLOP/s", "%peak", "img/CPU-s", "ms/\(call)", "\(peer) img/s", "\(peer) img/CPU-s", "\(peer) ms/\(call)", "ratio"]
    }
    private var table: TextTable { TextTable(widths: titles.map { max($0.count, 6) }) }

    var header: String { table.row(titles) }

    /// The row of `comparison` after the `leading` cells; %peak against `session`'s measured peak.
    func row(_ leading: [String], _ comparison: Comparison, session: BenchmarkSession) -> String {
        let ours = comparison.ours, peer = comparison.peer
        return table.row(leading + [
            Figure.rate(ours.imagesPerSecond), Figure.rate(ours.gflops), session.percentOfPeak(ours.gflops, threads: ours.threads),
            Figure.rate(ours.imagesPerCPUSecond), Figure.milliseconds(ours.secondsPerCall),
            Figure.rate(peer?.imagesPerSecond), Figure.rate(peer?.imagesPerCPUSecond),
            Figure.milliseconds(peer.map { Double(ours.batch) / $0.imagesPerSecond }),
            Figure.times(comparison.ratio),
        ])
    }
}
