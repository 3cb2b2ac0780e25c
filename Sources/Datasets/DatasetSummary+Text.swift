import ImageIO

extension DatasetSummary {
    /// The summary as the plain text `reslab inspect` prints: a header, a table of classes with
    /// their counts per split, image sizes (min / median / max of width and height, the most
    /// common sizes, a histogram of the shorter side), formats and grayscale share, then every
    /// skipped file with its reason.
    public var text: String {
        var lines = [header] + [""] + classTable + [""] + sizeLines + [""] + [formatLine]
        lines.append("")
        lines.append(skipped.isEmpty ? "No files skipped." : "Skipped files (\(skipped.count)):")
        lines += skipped.map { "  " + ($0.reason.hasPrefix($0.path) ? $0.reason : "\($0.path): \($0.reason)") }
        return lines.joined(separator: "\n")
    }

    private var header: String {
        let splitText: String
        switch split {
        case let .folders(test): splitText = "splits from the folders train/ and \(test)/"
        case let .stratified(fraction, seed): splitText = "split per class with test fraction \(fraction), seed \(seed)"
        }
        let train = trainCounts.reduce(0, +), test = testCounts.reduce(0, +)
        return "\(root): \(classNames.count) classes, \(imageCount) images (\(train) train, \(test) test), \(skipped.count) skipped; \(splitText)"
    }

    private var classTable: [String] {
        let nameWidth = max(5, classNames.map(\.count).max() ?? 0)
        let row = { (name: String, train: String, test: String) in
            name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + " " + leftPad(train, 7) + " " + leftPad(test, 7)
        }
        return [row("class", "train", "test")]
            + classNames.indices.map { row(classNames[$0], "\(trainCounts[$0])", "\(testCounts[$0])") }
    }

    private var sizeLines: [String] {
        guard !sizeCounts.isEmpty else { return ["No decodable images."] }
        let widths = expanded(\.width), heights = expanded(\.height)
        let common = sizeCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
        var lines = [
            "Width  min \(widths.first!), median \(widths[widths.count / 2]), max \(widths.last!)",
            "Height min \(heights.first!), median \(heights[heights.count / 2]), max \(heights.last!)",
            "Most common sizes: " + common.map { "\($0.key.width)×\($0.key.height) (\($0.value))" }.joined(separator: ", "),
            "Shorter side (px)  images",
        ]
        // Power-of-two buckets [2^k, 2^(k+1)) of the shorter side, from the smallest to the largest used.
        let buckets = Dictionary(grouping: sizeCounts) { Int.bitWidth - 1 - min($0.key.width, $0.key.height).leadingZeroBitCount }
            .mapValues { $0.reduce(0) { $0 + $1.value } }
        let largest = buckets.values.max()!
        for k in buckets.keys.min()!...buckets.keys.max()! {
            let count = buckets[k, default: 0]
            let bar = String(repeating: "#", count: (count * 40 + largest - 1) / largest)
            lines.append(leftPad("\(1 << k)–\((1 << (k + 1)) - 1)", 17) + " " + leftPad("\(count)", 7) + "  " + bar)
        }
        return lines
    }

    private var formatLine: String {
        let total = max(1, imageCount)
        let formats = ImageFormat.allCases.map { format in
            "\(format.rawValue.uppercased()) \(formatCounts[format, default: 0]) (\(percent(formatCounts[format, default: 0], of: total)))"
        }
        return "Formats: " + formats.joined(separator: ", ") + "; grayscale \(grayscaleCount) (\(percent(grayscaleCount, of: total)))"
    }

    /// One value per decodable image (each size repeated by its count), sorted.
    private func expanded(_ side: KeyPath<Size, Int>) -> [Int] {
        sizeCounts.flatMap { Array(repeating: $0.key[keyPath: side], count: $0.value) }.sorted()
    }
}

private func leftPad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `part / whole` as a percentage with one decimal, e.g. "2.1%".
private func percent(_ part: Int, of whole: Int) -> String {
    let tenths = (part * 1000 + whole / 2) / whole
    return "\(tenths / 10).\(tenths % 10)%"
}
