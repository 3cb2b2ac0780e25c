import ArgumentParser
import Experiment

extension ExplainFormat: ExpressibleByArgument {}

/// `reslab explain MODEL`: the architecture math at many sizes, instantly, with no data.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show a model's shapes, receptive field, stride, rounding and cost at many input sizes, without data or training.")

    @Argument(help: "A zoo model (\(ModelZoo.names.joined(separator: ", "))), a layer list such as \"conv 3x3 16, relu, maxpool 2, gap\", an experiment file, a checkpoint or an ONNX model (.onnx).")
    var model: String

    @Option(help: "Square input sizes in pixels, e.g. 8,16,24,32,48,64.")
    var resolutions: String = "8,16,24,32,48,64"

    @Option(parsing: .unconditional, help: "The size the parameters are built (trained) at; default: the checkpoint's or experiment's, an ONNX model's static input size, else 32.")
    var trainResolution: Int?

    @Option(parsing: .unconditional, help: "Classes of the classifier; default: the checkpoint's, else 10.")
    var classes: Int?

    @Option(parsing: .unconditional, help: "Input channels (default: the checkpoint's, the experiment's dataset.color, else 3).")
    var channels: Int?

    @Option(help: "text, markdown or json.")
    var format: ExplainFormat = .text

    func validate() throws {
        guard parsedResolutions != nil else {
            throw ValidationError("--resolutions takes sizes in pixels (1 to 8192) separated by commas, e.g. 8,16,32.")
        }
        if let trainResolution, !(1...8192).contains(trainResolution) { throw ValidationError("--train-resolution must be 1 to 8192 px.") }
        if let classes, classes < 2 { throw ValidationError("--classes must be at least 2.") }
        if let channels, !(1...64).contains(channels) { throw ValidationError("--channels must be 1 to 64.") }
    }

    private var parsedResolutions: [Int]? {
        let sizes = resolutions.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ (1...8192).contains($0 ?? 0) }) else { return nil }
        return sizes.compactMap { $0 }
    }

    func run() throws {
        var options = ExplainOptions(model: model, resolutions: parsedResolutions ?? [])
        options.trainResolution = trainResolution
        options.classes = classes
        options.channels = channels
        print(try renderExplanation(try explainModel(options), format: format), terminator: "")
    }
}
