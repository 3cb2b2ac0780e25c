import SeededRandom
/// Whole-dataset loops over images held in memory as one (N, H, W, C) float array.
extension Network {
    /// One pass over `images` in a seeded random order, `batchSize` images per step (the last
    /// partial batch included). Returns the mean training loss over the steps.
    public func trainEpoch(images: Tensor, labels: [Int], batchSize: Int, optimizer: Optimizer,
                           labelSmoothing: Float = 0, shuffleSeed: UInt64) throws -> Float {
        let (count, height, width) = try checkInputs(images)
        guard labels.count == count else {
            throw NNError.badTensor(reason: "There are \(count) images but \(labels.count) labels.")
        }
        var order = Array(0..<count)
        var generator = SplitMix64(seed: shuffleSeed)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        let imageSize = height * width * inputChannels
        var batch = Tensor(zeros: [batchSize, height, width, inputChannels])
        var batchLabels = [Int](repeating: 0, count: batchSize)
        var total = 0.0, steps = 0
        var first = 0
        while first < count {
            let size = min(batchSize, count - first)
            if size != batch.shape[0] {
                batch = Tensor(zeros: [size, height, width, inputChannels])
                batchLabels = [Int](repeating: 0, count: size)
            }
            batch.values.withUnsafeMutableBufferPointer { dst in
                images.values.withUnsafeBufferPointer { src in
                    for j in 0..<size {
                        (dst.baseAddress! + j * imageSize).update(from: src.baseAddress! + order[first + j] * imageSize, count: imageSize)
                        batchLabels[j] = labels[order[first + j]]
                    }
                }
            }
            total += Double(try trainStep(inputs: batch, labels: batchLabels, optimizer: optimizer, labelSmoothing: labelSmoothing))
            steps += 1
            first += size
        }
        return Float(total / Double(max(1, steps)))
    }

    /// The predicted class (arg-max logit) of every image, evaluated `batchSize` at a time.
    public func classify(images: Tensor, batchSize: Int = 256) throws -> [Int] {
        let (count, height, width) = try checkInputs(images)
        let imageSize = height * width * inputChannels
        var predictions: [Int] = []
        predictions.reserveCapacity(count)
        var first = 0
        while first < count {
            let size = min(batchSize, count - first)
            let batch = try Tensor(shape: [size, height, width, inputChannels],
                                   values: Array(images.values[first * imageSize..<(first + size) * imageSize]))
            let logits = try predict(batch)
            for n in 0..<size {
                let row = logits.values[n * classes..<(n + 1) * classes]
                predictions.append(row.indices.max { row[$0] < row[$1] }! - n * classes)
            }
            first += size
        }
        return predictions
    }
}
