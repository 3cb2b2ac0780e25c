import Foundation
import Testing
@testable import NN

@Suite struct CheckpointTests {
    let metadata = CheckpointMetadata(classNames: (0..<10).map { "class \($0)" }, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25],
                                      notes: ["dataset": "synthetic"])

    func savedNetwork() throws -> (Network, String) {
        let spec = try ModelSpec(parsing: "conv 3x3 8, bn, relu, maxpool 2, flatten, dense 10")
        let net = try Network(spec: spec, inputChannels: 3, classes: 10, trainingHeight: 8, trainingWidth: 8, seed: 3)
        let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: true), schedule: LearningRateSchedule(base: 0.01))
        _ = try net.trainStep(inputs: randomBatch(count: 4, size: 8, seed: 1), labels: [1, 2, 3, 4], optimizer: optimizer)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nn-\(UUID().uuidString).ckpt").path
        try net.save(to: path, metadata: metadata)
        return (net, path)
    }

    @Test func roundTripKeepsWeightsStatisticsAndMetadata() throws {
        let (net, path) = try savedNetwork()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (loaded, loadedMetadata) = try Network.load(from: path, expecting: net.spec)
        #expect(loadedMetadata == metadata)
        #expect(loaded.parameterValues == net.parameterValues)
        #expect(loaded.trainingHeight == 8 && loaded.spec == net.spec)
        let images = randomBatch(count: 2, size: 8, seed: 2)
        #expect(try loaded.predict(images) == net.predict(images))
    }

    @Test func refusesDamagedOrMismatchedFiles() throws {
        let (net, path) = try savedNetwork()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func refusal(_ modified: [UInt8], expecting: ModelSpec? = nil) -> String {
            try! Data(modified).write(to: URL(fileURLWithPath: path))
            do {
                _ = try Network.load(from: path, expecting: expecting)
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(Array(bytes.dropLast(5))).contains("holds \(bytes.count - 5 - (bytes.count - net.parameterValues.count * 4)) (truncated)"))
        var flipped = bytes
        flipped[bytes.count - 7] ^= 0x40
        #expect(refusal(flipped).contains("fail the checksum"))
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(refusal(magic).contains("is not a reslab checkpoint"))
        var version = bytes
        version[8] = 9
        #expect(refusal(version).contains("has format version 9 but this reslab reads versions 1 to 2"))
        #expect(refusal(Array(bytes.prefix(40))).contains("truncated"))
        #expect(refusal(bytes, expecting: .referenceCNN()).contains("but [conv 3x3 32, relu"))
        #expect(refusal(bytes) == "loaded")
    }

    @Test func refusesMetadataThatDoesNotFit() throws {
        let net = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 8, trainingWidth: 8, seed: 1)
        var bad = metadata
        bad.classNames.removeLast()
        #expect(throws: NNError.badCheckpoint(file: "/tmp/x", reason: "it names 9 classes but the network has 10 outputs")) {
            try net.save(to: "/tmp/x", metadata: bad)
        }
    }
}
