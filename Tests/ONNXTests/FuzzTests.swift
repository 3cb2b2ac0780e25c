import Foundation
import SeededRandom
import Testing
import TestSupport
@testable import ONNX

/// Thousands of damaged copies of a fixture model: each imports or is refused with an
/// `ONNXError` sentence; none crashes, hangs or allocates without bound.
@Suite struct FuzzTests {
    @Test func truncatedAndBitFlippedModelsGetSentences() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("onnx/mobilenet/model.onnx")))
        var random = SplitMix64(seed: 14)
        let folder = FileManager.default.temporaryDirectory
        var refused = 0, imported = 0
        let started = Date()
        for trial in 0..<3000 {
            var bytes = original
            if trial % 4 == 0 {
                bytes = bytes.prefix(Int(random.next() % UInt64(bytes.count)))
            } else {
                for _ in 0...(random.next() % 8) {
                    let i = Int(random.next() % UInt64(bytes.count))
                    bytes[i] ^= UInt8(1 << (random.next() % 8))
                }
            }
            do {
                _ = try ImportedModel(serialized: bytes, file: "fuzz.onnx", folder: folder)
                imported += 1
            } catch let error as ONNXError {
                #expect(error.description.hasSuffix("."), "trial \(trial): \(error)")
                refused += 1
            }
        }
        #expect(refused + imported == 3000)
        #expect(refused > 1000)
        #expect(Date().timeIntervalSince(started) < 60)
    }
}
