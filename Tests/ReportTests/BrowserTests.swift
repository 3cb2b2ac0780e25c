import Foundation
import ImageIO
import Resample
import Testing
@testable import Report

/// Opens a realistic report in headless Chromium: the page must log nothing to the console
/// (no script errors, no blocked loads), the DOM must hold the drawn charts, and the screenshot
/// must not be blank. Skipped (and reported as skipped) when no Chromium is installed
/// (`scripts/install-chromium.sh` installs Debian's). Set `RESLAB_REPORT_SCREENSHOT=<path>` to
/// keep the screenshot and the page beside it (docs/images/report-sample.png was made that way).
@Suite struct BrowserTests {
    static var browser: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Runs the browser headless on `page` with extra arguments, at most 90 s; returns (stdout, stderr).
    static func headless(_ browser: String, _ page: URL, _ arguments: [String]) throws -> (String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["90", browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--enable-logging=stderr", "--v=0", "--window-size=1200,2000"] + arguments + [page.absoluteString]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Without a browser the tests below are skipped, and Swift Testing names them as skipped.
    static let noBrowser = Comment(rawValue: "no chromium on PATH; run scripts/install-chromium.sh (Debian: apt-get install -y chromium) to enable this test")

    /// `run`'s report written as report.html into a new temporary folder, which the caller removes.
    static func page(_ run: SimulatedRun) throws -> (folder: URL, page: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reslab-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent("report.html")
        try renderReport(try run.data()).write(to: page, atomically: true, encoding: .utf8)
        return (folder, page)
    }

    @Test(.enabled(if: BrowserTests.browser != nil, noBrowser))
    func reportLoadsCleanlyAndDrawsItsCharts() throws {
        let browser = try #require(Self.browser)
        let (folder, page) = try Self.page(SimulatedRun(images: 1000, trainResolutions: [16, 32], resolutions: [8, 12, 16, 20, 24, 28, 32, 40, 48, 64]))
        defer { try? FileManager.default.removeItem(at: folder) }

        let (dom, domLog) = try Self.headless(browser, page, ["--dump-dom"])
        let consoleLines = domLog.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(consoleLines.isEmpty, "console messages: \(consoleLines)")
        #expect(dom.components(separatedBy: "<svg").count - 1 >= 5, "the DOM holds too few charts")
        #expect(dom.components(separatedBy: "class=\"series\"").count - 1 == 8, "one line group per model × training resolution × method")
        #expect(dom.components(separatedBy: "class=\"panel\"").count - 1 == 4, "one accuracy panel per model × training resolution")
        #expect(dom.components(separatedBy: "<path").count - 1 >= 8, "lines, bands and legend samples are paths")

        let shot = folder.appendingPathComponent("shot.png")
        _ = try Self.headless(browser, page, ["--screenshot=\(shot.path)"])
        let image = try readImage(atPath: shot.path).rgb()
        var inked = 0
        var colours = Set<UInt32>()
        for i in stride(from: 0, to: image.pixels.count, by: 3) {
            let (r, g, b) = (image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
            if Int(r) + Int(g) + Int(b) < 700 { inked += 1 }
            colours.insert(UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b))
        }
        let share = Double(inked) / Double(image.width * image.height)
        print("browser screenshot \(image.width)×\(image.height): \(String(format: "%.1f", 100 * share))% inked, \(colours.count) colours")
        #expect(share > 0.02 && colours.count > 50, "the screenshot looks blank")
        if let keep = ProcessInfo.processInfo.environment["RESLAB_REPORT_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep))
            let html = URL(fileURLWithPath: keep).deletingPathExtension().appendingPathExtension("html")
            try? FileManager.default.removeItem(at: html)
            try FileManager.default.copyItem(at: page, to: html)
        }
    }

    /// Twelve resize variants (six methods with and without antialiasing) on two models: in the
    /// DOM the browser built, every legend entry and every series of a panel must differ from the
    /// others in stroke colour or marker shape, and each series must look like its legend entry.
    @Test(.enabled(if: BrowserTests.browser != nil, noBrowser))
    func everyMethodsSeriesIsDistinguishable() throws {
        let browser = try #require(Self.browser)
        var run = SimulatedRun(images: 200, resolutions: [8, 16, 32, 64], seeds: [1], examplesPerCell: 1)
        run.methods = Filter.allCases.flatMap { [($0, true), ($0, false)] }
        let (folder, page) = try Self.page(run)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dom, _) = try Self.headless(browser, page, ["--dump-dom"])

        let accuracy = try #require(dom.range(of: "<section id=\"accuracy\">").map { dom[$0.upperBound...] })
        let section = String(accuracy[..<(accuracy.range(of: "</section>")?.lowerBound ?? accuracy.endIndex)])
        /// (data-series, stroke colour of the first `stroke=` attribute, data-shape of the first marker) per group.
        func styles(_ groupClass: String) -> [(index: String, stroke: String, shape: String)] {
            section.components(separatedBy: "<g class=\"\(groupClass)\" data-series=\"").dropFirst().map { chunk in
                let index = String(chunk.prefix { $0 != "\"" })
                func attribute(_ name: String) -> String {
                    guard let start = chunk.range(of: name + "=\"") else { return "" }
                    return String(chunk[start.upperBound...].prefix { $0 != "\"" })
                }
                return (index, attribute("stroke"), attribute("data-shape"))
            }
        }
        let legend = styles("legend-item")
        #expect(legend.count == 12)
        #expect(Set(legend.map { $0.stroke + "/" + $0.shape }).count == 12, "legend entries share colour and marker: \(legend)")
        let series = styles("series")
        #expect(series.count == 2 * 12)
        for panel in 0..<2 {
            let lines = series[(panel * 12)..<((panel + 1) * 12)]
            #expect(Set(lines.map { $0.stroke + "/" + $0.shape }).count == 12, "panel \(panel): two series look alike: \(lines)")
            for line in lines {
                let entry = legend.first { $0.index == line.index }
                #expect(entry?.stroke == line.stroke && entry?.shape == line.shape, "series \(line.index) does not match its legend entry")
            }
        }
    }
}
