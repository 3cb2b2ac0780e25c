import Foundation
import Resample

/// "What the network sees": a few test images at every test resolution and method, enlarged
/// with nearest-neighbour (CSS `image-rendering: pixelated`) so pixels show, each with the
/// prediction of a trained model (first seed) and whether it was right: the model that runs at
/// the most of the shown resolutions (the first on a tie), so that a flatten+dense model tied to
/// its training size does not leave every caption "cannot run". Under the table, what aliasing
/// is and where to see it.
struct ExamplesSection {
    let analysis: Analysis

    func html() -> String? {
        let examples = analysis.data.examples
        guard !examples.isEmpty else { return nil }
        let stored = examples.map(\.imageIndex).uniqued()
        let images = shownImages(stored)
        let resolutions = examples.map(\.testResolution).uniqued().sorted()
        let runs = analysis.referenceCurves.map { curve in resolutions.filter { curve.cell(at: $0)?.mean != nil }.count }
        let primary = runs.max().flatMap { most in runs.firstIndex(of: most) }.map { analysis.referenceCurves[$0] }
        let methods = analysis.methods.filter { m in examples.contains { Method(filter: $0.method, antialias: $0.antialias) == m } }
        var rows: [String] = []
        for method in methods {
            for image in images {
                guard let sample = examples.first(where: { $0.imageIndex == image }) else { continue }
                let truth = className(label(image))
                let head = element("th", [("scope", "row")], escapeHTML(sample.name) + "<br>" + element("span", [("class", "note")], "truth: " + escapeHTML(truth) + "<br>" + escapeHTML(method.label)))
                let cells = resolutions.map { resolution -> String in
                    guard let example = examples.first(where: {
                        $0.imageIndex == image && $0.testResolution == resolution && Method(filter: $0.method, antialias: $0.antialias) == method
                    }) else { return element("td", [], "") }
                    return element("td", [], figure(example, primary: primary, method: method))
                }.joined()
                rows.append(element("tr", [], head + cells))
            }
        }
        let header = element("tr", [], element("th", [], "") + resolutions.map { element("th", [], "\($0) px") }.joined())
        let who = primary.map { "Predictions of \(escapeHTML($0.key.modelLabel)), first seed. " } ?? ""
        let some = images.count < stored.count ? " \(images.count) of the \(stored.count) stored images are shown, to keep the page small." : ""
        return element("p", [], who + "Every image is shown at the same size, enlarged with nearest-neighbour, so you see the pixels the network received." + some)
            + element("div", [("class", "scroll")], element("table", [("class", "examples")], element("thead", [], header) + element("tbody", [], rows.joined())))
            + element("p", [("class", "note")], Self.aliasing)
    }

    /// The first images of `stored` (at most `exampleImages`) whose PNGs, every size and method,
    /// fit `exampleBytes` together; at least one.
    private func shownImages(_ stored: [Int]) -> [Int] {
        var shown: [Int] = [], bytes = 0
        for image in stored.prefix(analysis.options.exampleImages) {
            let size = analysis.data.examples.filter { $0.imageIndex == image }.map(\.png.count).reduce(0, +)
            if !shown.isEmpty && bytes + size > analysis.options.exampleBytes { break }
            shown.append(image)
            bytes += size
        }
        return shown
    }

    private func label(_ image: Int) -> Int? {
        image < analysis.data.testLabels.count ? analysis.data.testLabels[image] : nil
    }

    private func className(_ label: Int?) -> String {
        guard let label, label >= 0, label < analysis.data.classNames.count else { return "?" }
        return analysis.data.classNames[label]
    }

    /// Why small images can mislead a network, in the report's words.
    static let aliasing = "Aliasing: an image of n pixels can hold detail no finer than two pixels per cycle (its Nyquist limit, n/2 cycles across). Shrinking an image lowers that limit. An antialiased resize (Pillow's, the default here) first blurs away the detail the smaller image cannot hold, so fine texture fades to flat colour. A resize without antialiasing (nearest, OpenCV's cv2.resize, PyTorch's antialias=False) samples the image anyway, and detail above the limit folds back as coarser false patterns — stripes at another angle or spacing, moiré — that the network takes for real structure. Compare a method's row with its no-antialias or nearest row at the small sizes: the accuracy differences in “Resize methods” often come from exactly this."

    private func figure(_ example: ExampleImage, primary: Curve?, method: Method) -> String {
        let image = "<img src=\"data:image/png;base64,\(example.png.base64EncodedString())\" alt=\"\(escapeHTML(example.name)) at \(example.testResolution) px\" width=\"72\" height=\"72\">"
        guard let primary, let curve = analysis.curve(primary.key, method: method),
              let cell = curve.cell(at: example.testResolution) else { return image }
        if cell.cannotRun != nil { return image + element("div", [("class", "caption broken")], "cannot run") }
        guard let predicted = cell.metrics.first?.predicted, example.imageIndex < predicted.count else { return image }
        let guess = predicted[example.imageIndex]
        let right = guess == label(example.imageIndex)
        return image + element("div", [("class", right ? "caption right" : "caption wrong")],
                               (right ? "✓ " : "✗ ") + escapeHTML(className(guess)))
    }
}
