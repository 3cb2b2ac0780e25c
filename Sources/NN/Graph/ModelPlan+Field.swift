/// The input region one output position of a node reads, along one axis (Araujo, Norris & Sim,
/// "Computing Receptive Fields of Convolutional Neural Networks", Distill 2019). Output x reads
/// input pixels `first + x·jump … last + x·jump` (negative or ≥ the input size: padding).
///
/// Through a window of extent e = d·(k − 1) + 1, stride s and padding p before, from a map
/// whose positions are `jump` j apart in the input:
///
///     first' = first − p·j        last' = last + (e − 1 − p)·j        jump' = j·s
///
/// so the receptive field r = last − first + 1 grows by (e − 1)·j, the centre u = (first +
/// last)/2 moves by ((e − 1)/2 − p)·j, and the effective padding −first (google-research's
/// `receptive_field` tables) grows by p·j. Global pooling and flatten are a window over the
/// whole map (e = its size, s = 1, p = 0); dense and elementwise layers read one position.
public struct AxisField: Equatable, Sendable {
    /// Input pixel where output 0's region starts (negative: that many pixels of padding).
    public var first: Int
    /// Input pixel where output 0's region ends.
    public var last: Int
    /// Input pixels between adjacent outputs (the effective stride).
    public var jump: Int

    public init(first: Int, last: Int, jump: Int) {
        self.first = first
        self.last = last
        self.jump = jump
    }

    /// The region's size in input pixels.
    public var size: Int { last - first + 1 }
    /// The centre of output 0's region, in input pixels.
    public var center: Double { Double(first + last) / 2 }
    /// Padding before the input that output 0's region reaches into, −first.
    public var effectivePadding: Int { -first }

    /// The image itself: one pixel per position.
    static let pixel = AxisField(first: 0, last: 0, jump: 1)

    func through(_ window: WindowAxis) -> AxisField {
        AxisField(first: first - window.padBefore * jump, last: last + (window.extent - 1 - window.padBefore) * jump,
                  jump: jump * window.stride)
    }
}

/// A node's receptive field along the rows and the columns.
///
/// Where paths merge (add, multiply, concat) an output position depends on every input's
/// region, so the node's region is their union: the smallest `first` and the largest `last`
/// (Araujo et al. require the paths to be aligned; the union is what the output reads either
/// way). When the inputs' jumps differ (a path that skipped a stride), the union holds for
/// output 0 only: the node takes the largest jump and sets `mixedJumps`, and regions of later
/// outputs are approximate. A 1×1 input broadcast over the map (a channel gate) adds its region
/// to every output's but not its jump.
public struct ReceptiveField: Equatable, Sendable {
    public var rows: AxisField
    public var columns: AxisField
    /// The merged inputs' jumps differed (see above).
    public var mixedJumps: Bool

    /// The larger side of the region (the two are equal for square windows).
    public var size: Int { max(rows.size, columns.size) }
    /// The larger effective stride.
    public var jump: Int { max(rows.jump, columns.jump) }

    init(image: FeatureShape) {
        rows = .pixel
        columns = .pixel
        mixedJumps = false
    }

    /// The field after `layer` placed as `placement` on inputs of `shapes` with `fields`. An
    /// input of 1×1 broadcast over a larger map (a squeeze-and-excitation gate) reads the same
    /// region for every output, so its jump does not count.
    init(merging fields: [ReceptiveField], shapes: [FeatureShape], through layer: LayerSpec, placement: Placement) {
        let spatial = fields.indices.filter { !shapes[$0].isFlat || placement.output.isFlat }
        let stepping = spatial.isEmpty ? Array(fields.indices) : spatial
        func union(_ axis: KeyPath<ReceptiveField, AxisField>) -> AxisField {
            let axes = fields.map { $0[keyPath: axis] }
            return AxisField(first: axes.map(\.first).min()!, last: axes.map(\.last).max()!,
                             jump: stepping.map { fields[$0][keyPath: axis].jump }.max()!)
        }
        rows = union(\.rows)
        columns = union(\.columns)
        mixedJumps = fields.contains { $0.mixedJumps }
            || Set(stepping.map { fields[$0].rows.jump }).count > 1 || Set(stepping.map { fields[$0].columns.jump }).count > 1
        let input = shapes[0]
        switch layer {
        case .globalAvgPool, .globalMaxPool, .flatten:
            rows = rows.through(WindowAxis(input: input.height, output: 1, taps: input.height, stride: 1, dilation: 1, padBefore: 0))
            columns = columns.through(WindowAxis(input: input.width, output: 1, taps: input.width, stride: 1, dilation: 1, padBefore: 0))
        default:
            if let r = placement.rows, let c = placement.columns {
                rows = rows.through(r)
                columns = columns.through(c)
            }
        }
    }
}
