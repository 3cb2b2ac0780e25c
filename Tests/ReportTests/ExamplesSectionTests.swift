import Foundation
import Testing
@testable import Report

/// "What the network sees" shows as many stored images as fit the byte budget (at least one)
/// and says when it leaves some out.
@Suite struct ExamplesSectionTests {
    func data(imageBytes: [Int]) -> ReportData {
        let labels = FindingsTests.labels
        var data = FindingsTests.twoMethods(reference: labels, other: labels, labels: labels)
        data.examples = imageBytes.enumerated().flatMap { index, bytes in
            [16, 32].map { size in
                ExampleImage(imageIndex: index, name: "img\(index).png", testResolution: size, method: .bilinear,
                             antialias: true, png: Data(count: bytes / 2))
            }
        }
        return data
    }

    func shown(_ html: String) -> Int { html.components(separatedBy: "<tr><th scope=\"row\">").count - 1 }

    @Test func imagesBeyondTheByteBudgetAreLeftOutAndSaidSo() throws {
        let options = ReportOptions(exampleImages: 4, exampleBytes: 1000)
        // 400 bytes an image (two sizes of 200): two fit 1000 bytes, the third would make 1200.
        let some = try #require(ExamplesSection(analysis: Analysis(data(imageBytes: [400, 400, 400, 400]), options: options)).html())
        #expect(shown(some) == 2)
        #expect(some.contains("2 of the 4 stored images are shown"))
        // One image larger than the whole budget is still shown.
        let one = try #require(ExamplesSection(analysis: Analysis(data(imageBytes: [5000, 400]), options: options)).html())
        #expect(shown(one) == 1)
        // Everything within the budget: all shown, no note.
        let all = try #require(ExamplesSection(analysis: Analysis(data(imageBytes: [100, 100, 100]), options: options)).html())
        #expect(shown(all) == 3 && !all.contains("stored images are shown"))
    }
}
