import Foundation

// TEMPORARY seam until the NN module lands: a linear softmax classifier on the input averaged
// down to 4×4×3, so that the runner can be built and tested end to end.

/// What a checkpoint says about its model.
struct NetworkInfo: Codable, Equatable {
    var layers: [String]
    var rounding: Rounding
    var classNames: [String]
    var trainResolution: Int
    var mean: [Float]
    var std: [Float]
}

final class Network {
    var info: NetworkInfo
    /// (classes, 49): 48 pooled inputs and a bias.
    var weights: [Float]
    var velocity: [Float]

    init(info: NetworkInfo, seed: Int) {
        self.info = info
        let random = CounterRandom(seed, 0x5EED)
        weights = (0..<(info.classNames.count * 49)).map { Float(random.unit($0) - 0.5) * 0.1 }
        velocity = [Float](repeating: 0, count: weights.count)
    }
}

func cannotRunReason(_ info: NetworkInfo, resolution: Int) -> String? {
    if info.layers.contains("flatten") && resolution != info.trainResolution {
        return "flatten ties the model to its training resolution \(info.trainResolution) px"
    }
    return resolution < 4 ? "the input is smaller than 4 px" : nil
}

func forwardFLOPs(_ info: NetworkInfo, resolution: Int) -> Double {
    Double(resolution * resolution * 3 + info.classNames.count * 49 * 2)
}

private func pooled(_ inputs: [Float], count: Int, resolution r: Int) -> [Float] {
    var out = [Float](repeating: 0, count: count * 49)
    for n in 0..<count {
        for y in 0..<r {
            for x in 0..<r {
                for c in 0..<3 {
                    out[n * 49 + ((y * 4 / r) * 4 + x * 4 / r) * 3 + c] += inputs[((n * r + y) * r + x) * 3 + c]
                }
            }
        }
        for j in 0..<48 { out[n * 49 + j] /= Float(r * r) / 16 }
        out[n * 49 + 48] = 1
    }
    return out
}

func predictLogits(_ net: Network, inputs: [Float], count: Int, resolution: Int) -> [Float] {
    let k = net.info.classNames.count
    let features = pooled(inputs, count: count, resolution: resolution)
    var logits = [Float](repeating: 0, count: count * k)
    for n in 0..<count {
        for c in 0..<k {
            var s: Float = 0
            for j in 0..<49 { s += net.weights[c * 49 + j] * features[n * 49 + j] }
            logits[n * k + c] = s
        }
    }
    return logits
}

func trainStep(_ net: Network, inputs: [Float], labels: [Int], resolution: Int, learningRate: Float,
               training: TrainingConfig) -> (loss: Double, correct: Int) {
    let k = net.info.classNames.count
    let count = labels.count
    let features = pooled(inputs, count: count, resolution: resolution)
    let logits = predictLogits(net, inputs: inputs, count: count, resolution: resolution)
    var gradient = [Float](repeating: 0, count: net.weights.count)
    var loss = 0.0, correct = 0
    for n in 0..<count {
        let row = Array(logits[(n * k)..<((n + 1) * k)])
        let top = row.max()!
        let exps = row.map { exp($0 - top) }
        let total = exps.reduce(0, +)
        loss -= Double(log(exps[labels[n]] / total))
        if row.firstIndex(of: top) == labels[n] { correct += 1 }
        for c in 0..<k {
            let d = exps[c] / total - (c == labels[n] ? 1 : 0)
            for j in 0..<49 { gradient[c * 49 + j] += d * features[n * 49 + j] / Float(count) }
        }
    }
    let momentum = Float(training.optimizer.momentum)
    for i in net.weights.indices {
        net.velocity[i] = momentum * net.velocity[i] + gradient[i]
        net.weights[i] -= learningRate * net.velocity[i]
    }
    return (loss / Double(count), correct)
}

func saveNetwork(_ net: Network, to path: String) throws {
    let header = try JSONEncoder().encode(net.info)
    var data = Data()
    var length = UInt32(header.count)
    data.append(Data(bytes: &length, count: 4))
    data.append(header)
    net.weights.withUnsafeBytes { data.append(contentsOf: $0) }
    try writeAtomically(data, to: path)
}

func loadNetwork(from path: String) throws -> Network {
    guard let data = FileManager.default.contents(atPath: path), data.count > 4 else {
        throw ExperimentError.io(path: path, reason: "not a reslab checkpoint")
    }
    let length = Int(data.prefix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
    let info = try JSONDecoder().decode(NetworkInfo.self, from: data.subdata(in: 4..<(4 + length)))
    let net = Network(info: info, seed: 0)
    net.weights = data.subdata(in: (4 + length)..<data.count).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    return net
}
