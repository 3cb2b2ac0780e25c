/// `training.multi_resolution:` (and `remedies.multires:`) — train on several input sizes
/// instead of one. Each batch's size is drawn uniformly from `sizes`, a pure function of
/// (seed, epoch, step) through `CounterRandom`, so a cell is as reproducible and resumable as a
/// single-size one. With `grow: true` there is no draw: every batch of epoch e (0-based, of E)
/// uses sizes[round(e·(n − 1)/(E − 1))], smallest first and largest last — FFCV's progressive
/// resizing, where small early epochs are cheap and the last ones match the largest size.
///
/// The network is still *built* at the cell's training resolution (its checkpoint says so, and
/// the resize remedy resizes to it); with global average pooling its parameters fit any size.
public struct MultiResolution: Codable, Equatable, Sendable {
    public var sizes: ResolutionList
    public var grow = false

    enum CodingKeys: String, CodingKey, CaseIterable { case sizes, grow }

    public init(sizes: ResolutionList, grow: Bool = false) {
        self.sizes = sizes
        self.grow = grow
    }

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        sizes = f.required(.sizes, "the training sizes, e.g. [24, 32, 40] or {from: 16, to: 64, step: 8}") ?? .list([32])
        grow = f.optional(.grow) ?? grow
        // `ResolutionList`'s decoder refuses an empty list or range, and `checkLimits` bounds the
        // sizes without expanding a range (expanding `to: 2⁶³−1` here would never finish).
    }

    /// The input size of step `step` of epoch `epoch` (0-based) in a training of `epochs`
    /// epochs with `seed`.
    func size(seed: Int, epoch: Int, step: Int, epochs: Int) -> Int {
        let values = sizes.values.sorted()
        guard values.count > 1 else { return values[0] }
        if grow {
            let position = epochs > 1 ? Double(epoch * (values.count - 1)) / Double(epochs - 1) : Double(values.count - 1)
            return values[Int(position.rounded())]
        }
        return values[Int(CounterRandom(seed, epoch, step, 4).bits(0) % UInt64(values.count))]
    }
}
