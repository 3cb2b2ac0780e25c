import Foundation
import ImageIO
import Testing
@testable import Report

/// The "What to do" section in headless Chromium: no console messages, the section's chart and
/// ranked tables in the DOM, and a screenshot at the section that is not blank. Skips like
/// `BrowserTests` when no Chromium is installed.
@Suite struct RemediesBrowserTests {
    @Test func whatToDoLoadsCleanlyAndDrawsItsChart() throws {
        guard let browser = BrowserTests.browser else {
            print("skipped: no chromium on PATH; run scripts/install-chromium.sh (Debian: apt-get install -y chromium) to enable RemediesBrowserTests")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reslab-remedies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        try renderReport(try RemediesSectionTests.data()).write(to: page, atomically: true, encoding: .utf8)

        let (dom, log) = try BrowserTests.headless(browser, page, ["--dump-dom"])
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console messages: \(console)")
        let start = try #require(dom.range(of: "<section id=\"remedies\">"))
        let section = String(dom[start.lowerBound..<(dom[start.upperBound...].range(of: "</section>")?.upperBound ?? dom.endIndex)])
        #expect(section.contains("<h2>What to do</h2>") && section.contains("<a href=\"#remedies\">") == false)
        #expect(dom.contains("<a href=\"#remedies\">What to do</a>"), "the navigation links the section")
        #expect(section.components(separatedBy: "<svg").count - 1 == 1, "one before/after chart")
        // untreated + three remedies at 16 px (rounding also at 24 px): four lines.
        #expect(section.components(separatedBy: "class=\"series\"").count - 1 == 4)
        #expect(section.components(separatedBy: "<table").count - 1 == 2, "one ranked table per treated size")

        let shot = folder.appendingPathComponent("shot.png")
        _ = try BrowserTests.headless(browser, URL(string: page.absoluteString + "#remedies")!, ["--screenshot=\(shot.path)"])
        let image = try readImage(atPath: shot.path).rgb()
        var inked = 0
        for i in stride(from: 0, to: image.pixels.count, by: 3) where Int(image.pixels[i]) + Int(image.pixels[i + 1]) + Int(image.pixels[i + 2]) < 700 {
            inked += 1
        }
        #expect(Double(inked) / Double(image.width * image.height) > 0.02, "the screenshot at #remedies looks blank")
    }
}
