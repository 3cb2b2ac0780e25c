import ArgumentParser
import Experiment

extension InputPreprocessing.PixelRange: ExpressibleByArgument {}
extension InputPreprocessing.ChannelOrder: ExpressibleByArgument {}
extension InputPreprocessing.Layout: ExpressibleByArgument {}

/// `reslab eval --model X.onnx`: how the imported model's input is prepared. The defaults are
/// timm's and torchvision's: NCHW, RGB, pixels in [0, 1], ImageNet mean and std.
struct ONNXOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "ONNX models: per-channel mean subtracted, in the model's channel order and pixel range (default 0.485,0.456,0.406).")
    var mean: String?

    @Option(parsing: .unconditional, help: "ONNX models: per-channel std divided by (default 0.229,0.224,0.225).")
    var std: String?

    @Option(help: "ONNX models: the pixel range before the mean is subtracted: 0-1 or 0-255.")
    var pixelRange: InputPreprocessing.PixelRange?

    @Option(help: "ONNX models: the order of the colour channels: rgb or bgr.")
    var channelOrder: InputPreprocessing.ChannelOrder?

    @Option(help: "ONNX models: the input layout: nchw (PyTorch) or nhwc (TensorFlow).")
    var layout: InputPreprocessing.Layout?

    @Option(parsing: .unconditional, help: "ONNX models: the size the model was trained at (default: its static input size; needed when height and width are dynamic).")
    var trainSize: Int?

    @Option(help: "ONNX models: a file naming the model's outputs, one class per line in output order (default: the sorted class folders of --data).")
    var classes: String?

    /// The options given, as the user wrote them, to refuse them for a checkpoint.
    var given: [String] {
        [(mean != nil, "--mean"), (std != nil, "--std"), (pixelRange != nil, "--pixel-range"), (channelOrder != nil, "--channel-order"),
         (layout != nil, "--layout"), (trainSize != nil, "--train-size"), (classes != nil, "--classes")].filter { $0.0 }.map { $0.1 }
    }

    /// The preprocessing these options describe, checked.
    func preprocessing() throws -> InputPreprocessing {
        var result = InputPreprocessing()
        if let mean { result.mean = try Self.numbers(mean, option: "--mean") }
        if let std { result.std = try Self.numbers(std, option: "--std") }
        for (values, option, isStd) in [(result.mean, "--mean", false), (result.std, "--std", true)] {
            if let problem = InputPreprocessing.channelProblem(values, name: option, isStd: isStd) { throw ValidationError(problem) }
        }
        result.pixelRange = pixelRange ?? result.pixelRange
        result.channelOrder = channelOrder ?? result.channelOrder
        result.layout = layout ?? result.layout
        if let trainSize {
            guard (1...ConfigLimits.resolution).contains(trainSize) else {
                throw ValidationError("--train-size must be 1 to \(ConfigLimits.resolution) px, not \(trainSize).")
            }
            result.trainSize = trainSize
        }
        return result
    }

    /// "0.5,0.5,0.5" as numbers; a sentence for anything else.
    private static func numbers(_ text: String, option: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.allSatisfy({ $0 != nil }) else {
            throw ValidationError("\(option) takes numbers separated by commas, e.g. \(option == "--std" ? "0.229,0.224,0.225" : "0.485,0.456,0.406"); found `\(text)`.")
        }
        return parts.compactMap { $0 }
    }
}
