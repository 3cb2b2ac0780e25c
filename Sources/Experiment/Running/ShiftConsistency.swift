import Foundation

/// Zhang (2019), "Making Convolutional Networks Shift-Invariant Again", §4: consistency is the
/// share of images whose top-1 class is the same for two random shifts of the image. On ImageNet
/// (`main.py -es` of adobe/antialiased-cnns) each image is resized to 256 px and two 224 × 224
/// windows are cut at offsets drawn uniformly from 0…31 on each axis.
///
/// Here, at test size r: each image is resized to R = round(r · 8/7) px (256/224 = 8/7) with the
/// evaluation's method and crop, and two r × r windows are cut at offsets drawn uniformly from
/// 0…R − r on each axis, per image from the cell's seed. What differs from Zhang's run: one pair
/// per image (his code draws one pair per batch, for several passes over the set); a sample of
/// the test images; and the accuracy evaluation squashes to r px where Zhang's centre-crops from
/// the same 256 px image, so objects in the consistency crops are 8/7 as large as in our accuracy
/// evaluation (in his both use the 256 px image).
enum ShiftConsistency {
    /// Test images measured per evaluation: at most this many, evenly spaced over the split
    /// (the consistency's standard error is then below 1 point).
    static let sampleSize = 1000

    /// R for test size r: round(r · 8/7), at least r.
    static func enlargedSize(_ r: Int) -> Int { max(r, Int((Double(r) * 8 / 7).rounded())) }

    /// The two window offsets (x, y) for test image `index`, each coordinate uniform in 0…span.
    static func offsets(seed: Int, resolution: Int, index: Int, span: Int) -> [(x: Int, y: Int)] {
        let random = CounterRandom(seed, resolution, index, 4)
        let draw = { (k: Int) in Int(random.bits(k) % UInt64(span + 1)) }
        return [(draw(0), draw(1)), (draw(2), draw(3))]
    }

    /// The r × r window at `offset` of each (R, R, C) image in `enlarged`, as one (N, r, r, C) tensor.
    static func windows(_ enlarged: [Float], count: Int, enlargedSize R: Int, size r: Int, offsets: [(x: Int, y: Int)]) -> [Float] {
        let C = enlarged.count / max(1, count * R * R)
        precondition(enlarged.count == count * R * R * C && offsets.count == count && R >= r)
        var out = [Float](repeating: 0, count: count * r * r * C)
        for n in 0..<count {
            let (x, y) = offsets[n]
            precondition(x >= 0 && y >= 0 && x + r <= R && y + r <= R, "window at (\(x), \(y)) leaves the \(R) px image")
            for row in 0..<r {
                let source = ((n * R + y + row) * R + x) * C, target = (n * r + row) * r * C
                out.replaceSubrange(target..<(target + r * C), with: enlarged[source..<(source + r * C)])
            }
        }
        return out
    }

    /// Images (of `images`, in order) whose two windows get the same class from `classify`, which
    /// maps an (N, r, r, C) tensor and N to N class indices. `enlarged` holds the images at R px.
    static func agreements(_ enlarged: [Float], images: [Int], size r: Int, seed: Int,
                           classify: ([Float], Int) throws -> [Int]) rethrows -> [Bool] {
        let R = enlargedSize(r)
        let pairs = images.map { offsets(seed: seed, resolution: r, index: $0, span: R - r) }
        let first = try classify(windows(enlarged, count: images.count, enlargedSize: R, size: r, offsets: pairs.map { $0[0] }), images.count)
        let second = try classify(windows(enlarged, count: images.count, enlargedSize: R, size: r, offsets: pairs.map { $0[1] }), images.count)
        return zip(first, second).map { $0 == $1 }
    }
}

extension CellRunner {
    /// The shift consistency of `model` at `key` over a sample of the test images.
    func shiftConsistency(_ model: Model, _ cell: Cell, _ key: EvaluationKey) throws -> Double {
        let test = data.test
        let count = min(test.count, ShiftConsistency.sampleSize)
        let sample = (0..<count).map { $0 * test.count / count }
        let r = key.resolution, classes = data.classNames.count
        let enlarged = TensorPipeline.Key(split: "test", resolution: ShiftConsistency.enlargedSize(r), method: key.resizeMethod, crop: config.evaluation.crop)
        var agreeing = 0
        for start in stride(from: 0, to: count, by: config.evaluation.batch) {
            let indices = Array(sample[start..<min(start + config.evaluation.batch, count)])
            let inputs = pipeline.resize(try test.images(indices), enlarged)
            let agreements = try ShiftConsistency.agreements(inputs, images: indices, size: r, seed: cell.seed) { windows, n in
                let logits = try model.logits(windows, count: n, resolution: r)
                return (0..<n).map { row in
                    let scores = logits[(row * classes)..<((row + 1) * classes)]
                    // The first highest score; NaN-safe (firstIndex(of: max) finds no NaN and traps).
                    return scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }! - scores.startIndex
                }
            }
            agreeing += agreements.filter { $0 }.count
        }
        return Double(agreeing) / Double(count)
    }
}
