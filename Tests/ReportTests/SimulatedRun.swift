import Foundation
import ImageIO
import NN
import Report
import Resample
import SeededRandom
import Stats

/// A believable run without training anything: two CNNs whose accuracy against test resolution
/// follows a smooth curve, per-image predictions drawn so that images have a fixed difficulty
/// (seeds and methods agree on the easy ones), architecture tables from the real conv/pool
/// arithmetic, and example images drawn at each resolution.
struct SimulatedRun {
    var experiment = "cifar-like: resolution sweep"
    var classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    var images = 1000
    var models = ["gap-cnn", "flatten-cnn"]
    var trainResolutions = [32]
    var resolutions = [8, 12, 16, 20, 24, 28, 32, 40, 48, 64]
    var methods: [(Filter, Bool)] = [(.bilinear, true), (.nearest, false)]
    var seeds = [1, 2, 3]
    var examplesPerCell = 3

    func data() throws -> ReportData {
        var generator = SplitMix64(seed: 42)
        let labels = (0..<images).map { _ in generator.next(below: classNames.count) }
        let difficulty = (0..<images).map { _ in Double(generator.next(below: 1 << 30)) / Double(1 << 30) }
        var evaluations: [Evaluation] = []
        var infos: [ModelInfo] = []
        for (m, model) in models.enumerated() {
            var tables: [ArchitectureTable] = []
            for train in trainResolutions {
                for test in resolutions {
                    tables.append(ArchitectureTable(spec: Self.spec(flatten: model.contains("flatten"), classes: classNames.count),
                                                    channels: 3, trainResolution: train, testResolution: test))
                }
                for (method, antialias) in methods {
                    for seed in seeds {
                        for test in resolutions {
                            let table = tables.last { $0.testResolution == test && $0.trainResolution == train }!
                            if let broken = table.layers.first(where: { $0.breaks != nil }) {
                                evaluations.append(Evaluation(model: model, trainResolution: train, seed: seed, testResolution: test,
                                                              method: method, antialias: antialias, outcome: .cannotRun(reason: broken.breaks!)))
                                continue
                            }
                            let accuracy = Self.accuracy(model: m, train: train, test: test, antialias: antialias)
                            var noise = SplitMix64(seed: UInt64(seed * 1000 + test))
                            let predicted = labels.indices.map { i -> Int in
                                let jitter = 0.08 * (Double(noise.next(below: 1000)) / 1000 - 0.5)
                                return difficulty[i] + jitter < accuracy ? labels[i] : (labels[i] + 1 + noise.next(below: classNames.count - 1)) % classNames.count
                            }
                            let top1 = Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(images)
                            evaluations.append(Evaluation(model: model, trainResolution: train, seed: seed, testResolution: test, method: method, antialias: antialias,
                                                          outcome: .measured(Metrics(top1: top1, top5: min(1, top1 + 0.2), loss: 2.3 * (1 - top1), count: images, predicted: predicted))))
                        }
                    }
                }
            }
            let head = model.contains("flatten") ? "flatten, dense \(classNames.count)" : "global average pool, dense \(classNames.count)"
            infos.append(ModelInfo(name: model, summary: "3 × (conv 3×3 + ReLU, max-pool 2×2), \(head)", trainResolutions: trainResolutions, architectures: tables))
        }
        var examples: [ExampleImage] = []
        for index in 0..<examplesPerCell {
            for (method, antialias) in methods {
                for test in resolutions {
                    let png = try encodePNG(Self.drawing(label: labels[index], resolution: test, supersample: antialias ? 4 : 1))
                    examples.append(ExampleImage(imageIndex: index, name: "test/\(classNames[labels[index]])/\(1000 + index).png",
                                                 testResolution: test, method: method, antialias: antialias, png: Data(png)))
                }
            }
        }
        let perClass = classNames.indices.map { c in labels.filter { $0 == c }.count }
        return ReportData(
            experiment: experiment,
            configText: "experiment: \(experiment)\ndataset: ../shared/datasets/cifar10\nmodels: [\(models.joined(separator: ", "))]\ntrain_resolutions: \(trainResolutions)\ntest_resolutions: \(resolutions)\nseeds: \(seeds)\n",
            environment: [Entry("machine", "2 cores, AMD Zen 5"), Entry("swift", "6.3.1"), Entry("reslab", "0.1.0 (simulated)")],
            timings: [Timing("decode", seconds: 3.2), Timing("train", seconds: 412.5), Timing("evaluate", seconds: 38.1)],
            data: DataSummary(source: "cifar10 (simulated)", splits: [SplitCount(split: "train", perClass: perClass.map { $0 * 5 }), SplitCount(split: "test", perClass: perClass)],
                              skipped: [SkippedFile(path: "train/cat/broken.jpg", reason: "The JPEG data ends early; re-export the file.")]),
            classNames: classNames, testLabels: labels, models: infos, evaluations: evaluations, examples: examples)
    }

    /// A plausible accuracy: ~72% near the training resolution, falling below ~16 px, a little
    /// lower far above it; nearest-neighbour loses more the further it downsamples.
    static func accuracy(model: Int, train: Int, test: Int, antialias: Bool) -> Double {
        let peak = 0.72 - 0.04 * Double(model)
        let low = 1 / (1 + exp(-(Double(test) - 0.45 * Double(train)) / 2.5))
        let high = test > train ? 1 - 0.08 * log2(Double(test) / Double(train)) : 1
        let aliasing = antialias || test >= train ? 0 : 0.10 * (1 - Double(test) / Double(train))
        return 0.1 + (peak - 0.1) * low * high - aliasing
    }

    /// conv 3×3 (same) + ReLU + max-pool 2, three times, then global average pool or flatten,
    /// then dense.
    static func spec(flatten: Bool, classes: Int) -> ModelSpec {
        let blocks: [LayerSpec] = [16, 32, 64].flatMap { filters -> [LayerSpec] in
            [.conv(ConvSpec(kernelHeight: 3, kernelWidth: 3, filters: filters)), .relu, .maxPool(PoolSpec(kernel: 2))]
        }
        return ModelSpec(layers: blocks + [flatten ? .flatten : .globalAvgPool, .dense(units: classes)])
    }

    /// A small picture per class (a coloured disc or bar on a sky/ground background), sampled
    /// at pixel centres (supersample 1, like nearest) or averaged over s×s subpixels.
    static func drawing(label: Int, resolution: Int, supersample s: Int) -> Image {
        let hue: [(Double, Double, Double)] = [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178),
                                              (213, 94, 0), (204, 121, 167), (120, 120, 120), (40, 40, 40), (170, 60, 60)]
        var pixels = [UInt8](repeating: 0, count: resolution * resolution * 3)
        for y in 0..<resolution {
            for x in 0..<resolution {
                var sum = (0.0, 0.0, 0.0)
                for sy in 0..<s {
                    for sx in 0..<s {
                        let u = (Double(x) + (Double(sx) + 0.5) / Double(s)) / Double(resolution)
                        let v = (Double(y) + (Double(sy) + 0.5) / Double(s)) / Double(resolution)
                        let stripes = Int(u * 16 + v * 16) % 2 == 0
                        var colour = v > 0.7 ? (stripes ? (90.0, 140.0, 60.0) : (70, 110, 50)) : (stripes ? (200.0, 225.0, 245.0) : (170, 200, 230))
                        let (dx, dy) = (u - 0.5, v - 0.5 + 0.05 * Double(label % 3))
                        if label % 2 == 0 ? dx * dx + dy * dy < 0.08 : abs(dx) < 0.3 && abs(dy) < 0.12 { colour = hue[label % hue.count] }
                        sum = (sum.0 + colour.0, sum.1 + colour.1, sum.2 + colour.2)
                    }
                }
                let n = Double(s * s), i = (y * resolution + x) * 3
                pixels[i] = UInt8(sum.0 / n)
                pixels[i + 1] = UInt8(sum.1 / n)
                pixels[i + 2] = UInt8(sum.2 / n)
            }
        }
        return Image(width: resolution, height: resolution, channels: 3, pixels: pixels)
    }
}
