/// A float32 tensor, row-major and contiguous; images and activations are (N, H, W, C).
public struct Tensor: Equatable, Sendable {
    public let shape: [Int]
    /// The elements, row-major; keep `values.count` equal to the product of `shape` (the
    /// network checks it).
    public var values: [Float]

    /// Throws `NNError.badTensor` unless `values.count` is the product of `shape`.
    public init(shape: [Int], values: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw NNError.badTensor(reason: "A tensor of shape \(Tensor.text(shape)) needs \(shape.reduce(1, *)) values but got \(values.count).")
        }
        self.shape = shape
        self.values = values
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
        self.shape = shape
        values = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// (N, H, W, C) for a rank-4 tensor.
    var nhwc: (batch: Int, height: Int, width: Int, channels: Int)? {
        shape.count == 4 ? (shape[0], shape[1], shape[2], shape[3]) : nil
    }

    static func text(_ shape: [Int]) -> String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }
}
