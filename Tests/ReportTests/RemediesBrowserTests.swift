import Foundation
import ImageIO
import Testing
import TestSupport
@testable import Report

/// The "What to do" section in headless Chromium: no console messages, the section's chart and
/// ranked tables in the DOM, and a whole-page screenshot with clearly more coloured (chart line)
/// pixels than the same page without remedies. Skips like
/// `BrowserTests` when no Chromium is installed.
@Suite struct RemediesBrowserTests {
    @Test func whatToDoLoadsCleanlyAndDrawsItsChart() throws {
        guard let browser = BrowserTests.browser else {
            Fixtures.skip("no chromium on PATH; run scripts/install-chromium.sh (Debian: apt-get install -y chromium) to enable this test")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reslab-remedies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html")
        // A short page (one model, one method, no example images) that fits one tall screenshot.
        let run = SimulatedRun(images: 1000, models: ["gap-cnn"], resolutions: [12, 16, 20, 24, 32, 48],
                               methods: [(.bilinear, true)], examplesPerCell: 0)
        let data = try RemediesSectionTests.data(run)
        try renderReport(data).write(to: page, atomically: true, encoding: .utf8)

        let (dom, log) = try BrowserTests.headless(browser, page, ["--dump-dom"])
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console messages: \(console)")
        let start = try #require(dom.range(of: "<section id=\"remedies\">"))
        let section = String(dom[start.lowerBound..<(dom[start.upperBound...].range(of: "</section>")?.upperBound ?? dom.endIndex)])
        #expect(section.contains("<h2>What to do</h2>") && section.contains("<a href=\"#remedies\">") == false)
        #expect(dom.contains("<a href=\"#remedies\">What to do</a>"), "the navigation links the section")
        #expect(section.components(separatedBy: "<svg").count - 1 == 2, "the legend and one before/after chart")
        // untreated + three remedies at 16 px (rounding also at 24 px): four lines.
        #expect(section.components(separatedBy: "class=\"series\"").count - 1 == 4)
        #expect(section.components(separatedBy: "<table").count - 1 == 2, "one ranked table per treated size")

        var untreated = data
        untreated.remedies = []
        let plain = folder.appendingPathComponent("plain.html")
        try renderReport(untreated).write(to: plain, atomically: true, encoding: .utf8)
        let added = try Self.colouredPixels(browser, page, folder) - Self.colouredPixels(browser, plain, folder)
        #expect(added > 2000, "the What to do chart adds \(added) coloured pixels")
    }

    /// Pixels of a full-page screenshot whose channels differ by more than 60 (the palette's line
    /// and band colours; text and grid are grey).
    static func colouredPixels(_ browser: String, _ page: URL, _ folder: URL) throws -> Int {
        let shot = folder.appendingPathComponent("shot.png")
        _ = try BrowserTests.headless(browser, page, ["--window-size=1200,9000", "--screenshot=\(shot.path)"])
        let image = try readImage(atPath: shot.path).rgb()
        var coloured = 0
        for i in stride(from: 0, to: image.pixels.count, by: 3) {
            let channels = [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]].map(Int.init)
            if channels.max()! - channels.min()! > 60 { coloured += 1 }
        }
        return coloured
    }
}
