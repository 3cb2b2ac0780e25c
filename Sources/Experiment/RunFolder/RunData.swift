import Datasets
import Foundation
import ImageIO
import Report
import Resample

/// What a run stores about its data once (`data.json`), for reports built later without the data:
/// counts per class and split, skipped files, test labels and a few example images as the
/// network saw them.
struct RunData: Codable {
    var summary: DataSummary
    var classNames: [String]
    /// True class of each test image, in predictions-file order.
    var testLabels: [Int]
    /// Each test image's path below the dataset, in the same order (nil in runs made before it was stored).
    var testNames: [String]?
    var decodeSeconds: Double
    var examples: [ExampleImage]
}

/// Writes data.json unless the folder has it (every process would write the same facts).
func storeRunData(_ data: LoadedData, config: ExperimentConfig, decodeSeconds: Double, in folder: RunFolder) throws {
    guard !FileManager.default.fileExists(atPath: folder.dataFile) else { return }
    try writeAtomically(JSONEncoder().encode(RunData(data, config: config, decodeSeconds: decodeSeconds)), to: folder.dataFile)
}

extension RunData {
    /// Gathers the stored facts about `data`; examples are up to four test images (the first of
    /// each class) at up to eight of the test resolutions, under every method and antialias setting.
    init(_ data: LoadedData, config: ExperimentConfig, decodeSeconds: Double) throws {
        let classes = data.classNames.count
        func perClass(_ store: ImageStore) -> [Int] {
            store.labels.reduce(into: [Int](repeating: 0, count: classes)) { $0[$1] += 1 }
        }
        summary = DataSummary(source: data.source,
                              splits: [SplitCount(split: "train", perClass: perClass(data.train)),
                                       SplitCount(split: "test", perClass: perClass(data.test))],
                              skipped: data.skipped.map { Report.SkippedFile(path: $0.path, reason: $0.reason) })
        classNames = data.classNames
        testLabels = data.test.labels
        testNames = data.test.names
        self.decodeSeconds = decodeSeconds
        let picks = (0..<classes).compactMap { label in data.test.labels.firstIndex(of: label) }.prefix(4)
        let images = try data.test.images(Array(picks))
        let all = config.evaluation.resolutions.values
        let sizes = all.count <= 8 ? all : (0..<8).map { all[$0 * (all.count - 1) / 7] }
        let geometry = config.evaluation.crop.geometry
        let scratch = ResizeScratch()
        examples = []
        for (index, image) in zip(picks, images) {
            for size in sizes {
                for key in config.evaluationKeys where key.resolution == size {
                    let small = resize(image, width: size, height: size, method: key.resizeMethod, geometry: geometry, scratch: scratch)
                    examples.append(ExampleImage(imageIndex: index, name: data.test.names[index], testResolution: size,
                                                 method: key.method, antialias: key.antialias,
                                                 png: Data(try encodePNG(small))))
                }
            }
        }
    }
}
