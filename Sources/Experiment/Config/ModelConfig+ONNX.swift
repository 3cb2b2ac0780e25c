import Foundation

extension ModelConfig {
    /// The fields that say how an `onnx:` model's input is prepared (`InputPreprocessing`).
    static let onnxFields: [CodingKeys] = [.mean, .std, .pixelRange, .channelOrder, .layout, .trainSize, .classes]

    /// The `onnx:` entry with its preprocessing fields, the model imported once to check it and
    /// to fill in its training size. Problems are logged at the field they concern; nil without
    /// `onnx:` (then the preprocessing fields are refused).
    static func decodeONNX(_ f: FieldReader<CodingKeys>) -> ONNXSource? {
        guard f.contains(.onnx) else {
            for key in onnxFields where f.contains(key) {
                f.check(false, key, "`\(key.stringValue)` says how an `onnx:` model's input is prepared; remove it, or give the model as `onnx: FILE`.")
            }
            return nil
        }
        guard let path: String = f.optional(.onnx) else { return nil }
        var preprocessing = InputPreprocessing()
        if let mean: [Double] = f.optional(.mean) {
            preprocessing.mean = mean
            if let problem = InputPreprocessing.channelProblem(mean, name: "mean", isStd: false) { f.check(false, .mean, problem) }
        }
        if let std: [Double] = f.optional(.std) {
            preprocessing.std = std
            if let problem = InputPreprocessing.channelProblem(std, name: "std", isStd: true) { f.check(false, .std, problem) }
        }
        preprocessing.pixelRange = f.optional(.pixelRange) ?? preprocessing.pixelRange
        preprocessing.channelOrder = f.optional(.channelOrder) ?? preprocessing.channelOrder
        preprocessing.layout = f.optional(.layout) ?? preprocessing.layout
        if let size: Int = f.optional(.trainSize) {
            preprocessing.trainSize = size
            f.check((1...ConfigLimits.resolution).contains(size), .trainSize, "the training size must be 1 to \(ConfigLimits.resolution) px, not \(size).")
        }
        var source = ONNXSource(path: path, preprocessing: preprocessing, classesFile: f.optional(.classes))
        guard FileManager.default.fileExists(atPath: path) else {
            f.check(false, .onnx, "no file at \(path); give the path of an .onnx model (relative to the working directory).")
            return source
        }
        do {
            _ = try source.importSettingTrainingSize(option: "train_size")
        } catch let ExperimentError.model(_, reason) {
            f.check(false, .onnx, reason)
        } catch {
            f.check(false, .onnx, "\(error)")
        }
        do { _ = try source.outputNames() } catch let ExperimentError.model(_, reason) {
            f.check(false, .classes, reason)
        } catch {
            f.check(false, .classes, "\(error)")
        }
        return source
    }

    /// Writes the fields `init(from:)` reads, an `onnx:` model's preprocessing beside its path.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(zoo, forKey: .zoo)
        try c.encodeIfPresent(layers, forKey: .layers)
        try c.encodeIfPresent(graph, forKey: .graph)
        guard let onnx else {
            try c.encode(rounding, forKey: .rounding)
            return
        }
        let p = onnx.preprocessing
        try c.encode(onnx.path, forKey: .onnx)
        try c.encode(p.mean, forKey: .mean)
        try c.encode(p.std, forKey: .std)
        try c.encode(p.pixelRange.rawValue, forKey: .pixelRange)
        try c.encode(p.channelOrder.rawValue, forKey: .channelOrder)
        try c.encode(p.layout.rawValue, forKey: .layout)
        try c.encodeIfPresent(p.trainSize, forKey: .trainSize)
        try c.encodeIfPresent(onnx.classesFile, forKey: .classes)
    }
}
