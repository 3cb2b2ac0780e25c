import Foundation
import Testing
import ImageIO
import TestSupport
@testable import Resample

@Suite struct JPEGDraftTests {
    @Test func draftFollowsPillowsRule() {
        #expect(draftDenominator(from: (256, 256), to: (32, 32)) == 8)
        #expect(draftDenominator(from: (256, 256), to: (33, 32)) == 4)
        #expect(draftDenominator(from: (500, 375), to: (341, 256)) == 1)
        #expect(draftDenominator(from: (1733, 1300), to: (224, 224)) == 4)
    }

    @Test func draftDecodesSmallerAndStaysCloseToTheExactResize() throws {
        guard let shared = Fixtures.sharedDatasets else { Fixtures.skip(Fixtures.sharedDatasetsMissing); return }
        let path = shared + "/conformance/jpeg/pil_flower.jpg"  // 480×360
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        #expect(jpegDimensions(bytes)! == (480, 360))
        let full = try decodeForResize(bytes, width: 60, height: 45)
        let drafted = try decodeForResize(bytes, width: 60, height: 45, draft: true)
        #expect(full.width == 480 && drafted.width == 60 && drafted.height == 45)
        let exact = resize(full, width: 60, height: 45, method: ResizeMethod(.bilinear))
        let fast = resize(drafted, width: 60, height: 45, method: ResizeMethod(.bilinear))
        let meanError = zip(exact.pixels, fast.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(exact.pixels.count)
        #expect(meanError < 4, "mean absolute difference \(meanError)")
    }
}
