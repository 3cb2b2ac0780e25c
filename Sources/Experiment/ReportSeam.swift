import Foundation

// TEMPORARY seam until the Report module lands: a plain table of the stored results.

/// Rebuilds results.csv and report.html of the run folder at `path`; returns the report's path.
public func rebuildReport(runFolder path: String) throws -> String {
    let folder = RunFolder(path: path)
    guard folder.exists else { throw ExperimentError.notARunFolder(path) }
    try writeResultsTable(folder)
    return try writeReport(folder)
}

/// Rebuilds report.html from the stored results of `folder` and returns its path.
public func writeReport(_ folder: RunFolder) throws -> String {
    let results = try storedResults(folder)
    var html = "<!doctype html><meta charset=utf-8><title>reslab report</title><table>"
    for line in resultsCSV(results).split(separator: "\n") {
        html += "<tr>" + line.split(separator: ",", omittingEmptySubsequences: false).map { "<td>\(escapeHTML(String($0)))</td>" }.joined() + "</tr>"
    }
    try writeAtomically(html + "</table>", to: folder.reportFile)
    return folder.reportFile
}

private func escapeHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
