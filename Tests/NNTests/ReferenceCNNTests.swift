import Foundation
import Testing
import TestSupport
@testable import NN

/// Reads `Fixtures/<relative>` as raw little-endian float32 values.
func fixtureFloats(_ relative: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(relative)))
    return data.withUnsafeBytes { raw in
        (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    }
}

/// Reads `Fixtures/nn/reference_cnn/<name>.f32`, written by scripts/reference/nn_reference_cnn.py.
func referenceTensor(_ name: String) throws -> [Float] { try fixtureFloats("nn/reference_cnn/\(name).f32") }

/// max |a − b| / max |b|: the error relative to the reference tensor's scale.
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "relativeError: \(a.count) vs \(b.count) values")
    let scale = b.map(abs).max() ?? 0
    return zip(a, b).map { abs($0 - $1) }.max()! / max(scale, .leastNormalMagnitude)
}

/// Checks `net`'s evaluation logits and then its training loss (leaving every gradient in
/// `parameterGradients`) against the reference tensors "logits" and "loss", within 1e-4 relative.
func expectLogitsAndLoss(_ net: Network, inputs: Tensor, labels: [Int], reference: (String) throws -> [Float]) throws {
    let logits = try net.predict(inputs)
    #expect(relativeError(logits.values, try reference("logits")) <= 1e-4)
    let loss = try net.computeGradients(inputs: inputs, labels: labels)
    let expectedLoss = try reference("loss")[0]
    #expect(abs(loss - expectedLoss) / expectedLoss <= 1e-4, "loss \(loss) vs numpy \(expectedLoss)")
}

/// The reference CNN against an independent float64 numpy implementation on fixed weights and a
/// fixed batch of 4 images of 16×16: forward logits, loss and every gradient within 1e-4
/// relative error (float32 accumulation over K ≤ 576 terms stays near 1e-6).
@Suite struct ReferenceCNNTests {
    @Test func matchesNumpy() throws {
        let net = try Network(spec: .referenceCNN(), inputChannels: 3, classes: 10, trainingHeight: 16, trainingWidth: 16, seed: 1)
        let names = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias", "dense.weight", "dense.bias"]
        #expect(net.parameters.count == names.count)
        var values = net.parameterValues
        for (entry, name) in zip(net.parameters, names) {
            let reference = try referenceTensor("param." + name)
            #expect(reference.count == entry.count, "\(name)")
            values.replaceSubrange(entry.offset..<entry.offset + entry.count, with: reference)
        }
        net.parameterValues = values
        let inputs = try Tensor(shape: [4, 16, 16, 3], values: try referenceTensor("input"))
        let labels = try referenceTensor("labels").map { Int($0) }

        try expectLogitsAndLoss(net, inputs: inputs, labels: labels, reference: referenceTensor)
        let gradients = net.parameterGradients
        for (entry, name) in zip(net.parameters, names) {
            let error = relativeError(Array(gradients[entry.offset..<entry.offset + entry.count]), try referenceTensor("grad." + name))
            #expect(error <= 1e-4, "gradient of \(name): relative error \(error)")
        }
    }
}
