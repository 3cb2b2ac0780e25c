import Foundation
import Testing
@testable import Report

/// User strings (class folders, file names, experiment and model names) never become markup.
@Suite struct EscapingTests {
    static let attack = "<img src=x onerror=alert(1)>"

    @Test func hostileNamesAreEscapedEverywhere() throws {
        var run = SimulatedRun()
        run.classNames[2] = Self.attack
        run.experiment = "</title><script>alert(2)</script>"
        run.models = ["gap-cnn", "<svg onload=alert(3)>"]
        run.images = 200
        run.resolutions = [8, 16, 32]
        var data = try run.data()
        data.examples[0].name = "\"><img src=y onerror=alert(4)>"
        data.data.skipped.append(SkippedFile(path: "train/\(Self.attack)/a.jpg", reason: "<b>bad</b>"))
        data.configText += "class: \(Self.attack)\n"
        let html = renderReport(data)

        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<img src=y"))
        #expect(!html.contains("<svg onload"))
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<b>bad"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        // The only elements that may appear: every <img> is an inline PNG, there is one script.
        for tag in html.components(separatedBy: "<img ").dropFirst() {
            #expect(tag.hasPrefix("src=\"data:image/png;base64,"))
        }
        #expect(html.components(separatedBy: "<script").count == 2)
        // No element carries an event handler: in every tag, outside its quoted attribute values
        // (where quotes inside are escaped), no on… attribute appears.
        let quoted = try Regex("\"[^\"]*\"")
        for match in html.matches(of: try Regex("<[a-zA-Z][^>]*>")) {
            let tag = String(html[match.range]).replacing(quoted, with: "\"\"")
            #expect(!tag.contains("onerror") && !tag.contains("onload"), "\(tag)")
        }
    }

    @Test func pageLoadsNothingFromTheNetwork() throws {
        let html = renderReport(try SimulatedRun(images: 100, resolutions: [16, 32]).data())
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        // The SVG namespace is the only URL in the page.
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("src=\"http"))
    }
}
