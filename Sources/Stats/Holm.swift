/// Holm's step-down adjusted p-values (Holm 1979), which control the family-wise error rate of
/// m comparisons without assuming independence.
///
/// With p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted, the adjusted value of the i-th smallest is
/// max_{j ≤ i} min(1, (m − j + 1) · p₍ⱼ₎); a comparison is significant at level α when its
/// adjusted p-value is ≤ α. Returned in the input order.
public func holmAdjusted(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
    var adjusted = [Double](repeating: 0, count: m)
    var running = 0.0
    for (rank, index) in order.enumerated() {
        running = max(running, min(1, Double(m - rank) * pValues[index]))
        adjusted[index] = running
    }
    return adjusted
}
