import NN
import Report
import Resample

/// A fixed results fixture with effects an expert would name, shaped like the CIFAR-10 run with
/// nearest and antialiased bilinear at 8–64 px: `small-cnn`'s convolutions and pools (total
/// stride 8, receptive field 36 px) trained at 32 px on 32 px test images, one seed, 2000 test
/// images. Image i is right at a cell exactly when its difficulty (a fixed permutation of
/// (j + ½)/2000) is below the cell's accuracy, so every accuracy below is exact and every
/// difference is one-sided (the paired tests are decisive).
enum DirectionalRun {
    static let resolutions = [8, 12, 16, 20, 24, 28, 32, 40, 48, 64]
    /// Bilinear (antialiased): a drop below 24 px, a dip at 28 px (not a multiple of 8), a drop above 32 px.
    static let bilinear = [0.25, 0.40, 0.55, 0.68, 0.79, 0.76, 0.80, 0.70, 0.58, 0.42]
    /// Nearest: 6.5 to 1 point worse when shrinking (8–24 px), equal at 28 and 32, 10 to 18 better when enlarging.
    static let nearest = [0.185, 0.35, 0.52, 0.66, 0.78, 0.76, 0.80, 0.80, 0.72, 0.60]
    /// The test images' mean share above Nyquist per resolution (quartiles ± 7 points).
    static let nyquist = [0.62, 0.50, 0.38, 0.27, 0.17, 0.07, 0, 0, 0, 0]
    static let images = 2000

    static let spec: ModelSpec = try! ModelSpec(parsing: [
        "conv 3x3 32", "relu", "conv 3x3 32", "relu", "maxpool 2",
        "conv 3x3 64", "relu", "conv 3x3 64", "relu", "maxpool 2",
        "conv 3x3 128", "relu", "conv 3x3 128", "relu", "maxpool 2", "gap", "dense 10",
    ])

    static func data() -> ReportData {
        let labels = (0..<images).map { $0 % 10 }
        let difficulty = (0..<images).map { (Double(($0 * 1237) % images) + 0.5) / Double(images) }
        let wrong = (0..<images).map { (labels[$0] + 1 + $0 % 9) % 10 }
        var evaluations: [Evaluation] = []
        for (method, antialias, accuracies) in [(Filter.bilinear, true, bilinear), (.nearest, false, nearest)] {
            for (resolution, accuracy) in zip(resolutions, accuracies) {
                let predicted = (0..<images).map { difficulty[$0] < accuracy ? labels[$0] : wrong[$0] }
                let top1 = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(images)
                var metrics = Metrics(top1: top1, count: images, predicted: predicted)
                metrics.shiftConsistency = antialias ? 0.9 : 0.85
                evaluations.append(Evaluation(model: "small-cnn", trainResolution: 32, seed: 1, testResolution: resolution,
                                              method: method, antialias: antialias, outcome: .measured(metrics)))
            }
        }
        let tables = resolutions.map { ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: $0) }
        var data = ReportData(
            experiment: "cifar10-like", configText: "", environment: [], timings: [],
            data: DataSummary(source: "cifar10 (fixture)", splits: [], skipped: []),
            classNames: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
            testLabels: labels,
            models: [ModelInfo(name: "small-cnn", summary: "small-cnn", trainResolutions: [32], architectures: tables)],
            evaluations: evaluations, examples: [])
        data.nyquist = NyquistBudget(images: 500, medianWidth: 32, medianHeight: 32, points: zip(resolutions, nyquist).map {
            NyquistBudget.Point(resolution: $0, mean: $1, lowerQuartile: max(0, $1 - 0.07), upperQuartile: $1 == 0 ? 0 : $1 + 0.07)
        })
        return data
    }
}
