import Testing
import TestSupport
import ImageIO
@testable import Datasets

@Suite struct DecodeSamplesTests {
    @Test func brokenFilesAreSkippedAndTheRestKeepTheirOrder() throws {
        let folder = try ImageFolder.load(root: Fixtures.path("tiny-folder"), testFraction: 0)
        let decoded = decodeSamples(folder.train, threadCount: 2)
        #expect(decoded.images.count == 48)
        #expect(decoded.samples == folder.train.filter { !$0.path.hasSuffix("truncated.jpg") })
        #expect(decoded.skipped.map(\.path) == [Fixtures.path("tiny-folder/triangle/truncated.jpg")])
        #expect(decoded.images.filter(\.isGrayscale).count == 6)
    }

    @Test func oneAndTwoThreadsGiveTheSameImages() throws {
        let folder = try ImageFolder.load(root: Fixtures.path("tiny-folder"))
        let one = decodeSamples(folder.train, threadCount: 1)
        let two = decodeSamples(folder.train, threadCount: 2, transform: nil)
        #expect(one.images == two.images)
        #expect(one.samples == two.samples)
    }

    @Test func transformRunsOnEveryImage() throws {
        let folder = try ImageFolder.load(root: Fixtures.path("tiny-folder"))
        let decoded = decodeSamples(folder.test, threadCount: 2) { $0.rgb() }
        #expect(decoded.images.allSatisfy { $0.channels == 3 })
    }
}
