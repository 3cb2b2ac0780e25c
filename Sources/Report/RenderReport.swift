/// The whole report as one self-contained HTML page: inline CSS and SVG, images as data URIs, a
/// Content-Security-Policy that forbids any network access, and a few lines of script for legend
/// toggles and printing (the page reads fully without them). Deterministic: the same data and
/// options give the same bytes.
public func renderReport(_ data: ReportData, options: ReportOptions = ReportOptions()) -> String {
    let analysis = Analysis(data, options: options)
    var sections: [(id: String, title: String, html: String)] = [
        ("findings", "Findings", Findings(analysis: analysis).html()),
        ("accuracy", "Accuracy vs test resolution", AccuracySection(analysis: analysis).html()),
    ]
    let optional: [(String, String, String?)] = [
        ("nyquist", "Content above Nyquist", NyquistSection(analysis: analysis).html()),
        ("training", "Training curves", TrainingSection(analysis: analysis).html()),
        ("train-test", "Train × test resolution", TrainTestSection(analysis: analysis).html()),
        ("methods", "Resize methods", MethodsSection(analysis: analysis).html()),
        ("stability", "Stability", StabilitySection(analysis: analysis).html()),
        ("remedies", "What to do", RemediesSection(analysis: analysis).html()),
        ("architecture", "Architecture math", ArchitectureSection(analysis: analysis).html()),
        ("examples", "What the network sees", ExamplesSection(analysis: analysis).html()),
        ("classes", "Per-class accuracy and confusion", ClassesSection(analysis: analysis).html()),
    ]
    for (id, title, html) in optional { if let html { sections.append((id, title, html)) } }
    sections.append(("metadata", "Run metadata", MetadataSection(data: data).html()))

    let nav = element("nav", [], sections.map { element("a", [("href", "#\($0.id)")], escapeHTML($0.title)) }.joined(separator: " "))
    let body = sections.map { element("section", [("id", $0.id)], element("h2", [], escapeHTML($0.title)) + $0.html) }
        .joined(separator: "\n")
    let testImages = data.testLabels.count
    let subtitle = "\(escapeHTML(data.data.source)) · \(testImages) test images · \(data.classNames.count) classes · \(data.models.count) models · \(analysis.resolutions.count) test resolutions · \(analysis.methods.count) resize methods"
    return """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
    <title>reslab report: \(escapeHTML(data.experiment))</title>
    <style>\(reportStyle)</style>
    </head>
    <body>
    <header><h1>\(escapeHTML(data.experiment))</h1><p class="subtitle">\(subtitle)</p>\(nav)</header>
    <main>
    \(body)
    </main>
    <footer>Written by reslab. Statistics: see docs/statistics.md.</footer>
    <script>\(reportScript)</script>
    </body>
    </html>

    """
}

/// Hides and shows a series in every chart of a figure when its legend entry is clicked, and
/// opens every collapsed table before printing.
let reportScript = """
document.querySelectorAll('.legend-item').forEach(function (item) {
  var scope = item.closest('figure') || item.closest('svg');
  item.addEventListener('click', function () {
    var off = item.classList.toggle('off');
    scope.querySelectorAll('.series[data-series="' + item.getAttribute('data-series') + '"]').forEach(function (line) {
      line.classList.toggle('off', off);
    });
  });
});
window.addEventListener('beforeprint', function () {
  document.querySelectorAll('details').forEach(function (d) { d.open = true; });
});
"""
