/// How stable a model's top-1 predictions are across changes that should not matter: neighbouring
/// test sizes (flip rate) or two shifted crops of the same image (Zhang 2019's consistency).
///
/// Predictions are class indices per image, every array in the same image order; a negative index
/// marks an image without a prediction and is left out of every count.
public enum PredictionStability {
    /// The share of images whose predicted class differs between `a` and `b`; nil when no image
    /// has a prediction in both.
    public static func flipRate(_ a: [Int], _ b: [Int]) -> Double? {
        precondition(a.count == b.count, "flipRate compares predictions of the same images, got \(a.count) and \(b.count)")
        var compared = 0, flipped = 0
        for (x, y) in zip(a, b) where x >= 0 && y >= 0 {
            compared += 1
            if x != y { flipped += 1 }
        }
        return compared == 0 ? nil : Double(flipped) / Double(compared)
    }

    /// The share of images predicted the same in `a` and `b`: Zhang (2019)'s consistency when `a`
    /// and `b` are the predictions for two random shifts of each image.
    public static func agreement(_ a: [Int], _ b: [Int]) -> Double? {
        flipRate(a, b).map { 1 - $0 }
    }

    /// Per image, how often its prediction changes along `sequence` (the predictions at each test
    /// size, in size order): the number of neighbouring pairs that differ, counting only pairs
    /// where both have a prediction. (images)
    public static func changes(_ sequence: [[Int]]) -> [Int] {
        guard let first = sequence.first else { return [] }
        var counts = [Int](repeating: 0, count: first.count)
        for (a, b) in zip(sequence, sequence.dropFirst()) {
            precondition(a.count == b.count, "changes needs predictions of the same images at every size")
            for i in counts.indices where a[i] >= 0 && b[i] >= 0 && a[i] != b[i] { counts[i] += 1 }
        }
        return counts
    }

    /// The `count` images whose predictions change most often along `sequence`, most unstable
    /// first; ties go to the image with more distinct predicted classes, then the lower index.
    /// Images that never change are left out.
    public static func mostUnstable(_ sequence: [[Int]], count: Int) -> [Int] {
        let changes = changes(sequence)
        let distinct = changes.indices.map { i in Set(sequence.map { $0[i] }.filter { $0 >= 0 }).count }
        return changes.indices.filter { changes[$0] > 0 }
            .sorted { (changes[$0], distinct[$0], -$0) > (changes[$1], distinct[$1], -$1) }
            .prefix(count).map { $0 }
    }
}
