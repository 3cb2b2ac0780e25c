import ImageIO

/// How far two images are apart, value by value (each channel of each pixel).
struct ImageDifference {
    /// The largest |a − b| over all values.
    var maximum: Int
    /// How many values differ by more than the tolerance asked for.
    var overTolerance: Int
    /// The mean |a − b|.
    var mean: Double

    /// `nil` when the sizes differ. A gray image is compared with an RGB one by repeating its value.
    init?(_ a: Image, _ b: Image, tolerance: Int = 2) {
        guard a.width == b.width, a.height == b.height else { return nil }
        let (x, y) = a.channels == b.channels ? (a, b) : (a.rgb(), b.rgb())
        var maximum = 0, over = 0, sum = 0
        for (p, q) in zip(x.pixels, y.pixels) {
            let d = abs(Int(p) - Int(q))
            maximum = max(maximum, d)
            sum += d
            if d > tolerance { over += 1 }
        }
        self.maximum = maximum
        self.overTolerance = over
        self.mean = Double(sum) / Double(x.pixels.count)
    }
}
