/// The short text form of a layer, used in configs, checkpoints and messages:
///
///     conv 3x3 32 [stride 2] [dilation 2] [pad same|valid|N] [floor|ceil]   (default: pad same)
///     maxpool 2 [stride 2] [pad valid|same|N] [floor|ceil]                  (stride = window)
///     avgpool 2 …      gap      gmp      flatten      relu      bn
///     blurpool 2 [filter 4]      dense 10      dropout 0.3
extension LayerSpec: CustomStringConvertible, LosslessStringConvertible, Codable {
    public var description: String {
        switch self {
        case let .conv(spec):
            var text = "conv \(spec.kernelHeight)x\(spec.kernelWidth) \(spec.filters)"
            if spec.stride != 1 { text += " stride \(spec.stride)" }
            if spec.dilation != 1 { text += " dilation \(spec.dilation)" }
            if spec.padding != .same { text += " pad \(spec.padding.text)" }
            if spec.rounding != .floor { text += " \(spec.rounding.rawValue)" }
            return text
        case let .maxPool(spec): return "maxpool" + spec.text
        case let .avgPool(spec): return "avgpool" + spec.text
        case .relu: return "relu"
        case .globalAvgPool: return "gap"
        case .globalMaxPool: return "gmp"
        case let .blurPool(stride, filter):
            return filter == 4 ? "blurpool \(stride)" : "blurpool \(stride) filter \(filter)"
        case .flatten: return "flatten"
        case let .dense(units): return "dense \(units)"
        case .batchNorm: return "bn"
        case let .dropout(rate): return "dropout \(rate)"
        }
    }

    /// Parses the text form (case-insensitive); throws `NNError.unparsableLayer` with the reason.
    public init(parsing text: String) throws {
        var words = TokenReader(text: text)
        let kind = try words.word("a layer name such as conv, relu, maxpool, gap, dense")
        switch kind {
        case "conv", "conv2d":
            let (kh, kw) = try words.kernel()
            var spec = ConvSpec(kernelHeight: kh, kernelWidth: kw, filters: try words.integer("the number of filters"))
            while let option = words.nextWord() {
                switch option {
                case "stride", "s": spec.stride = try words.integer("a stride")
                case "dilation", "d": spec.dilation = try words.integer("a dilation")
                case "pad", "padding": spec.padding = try words.padding()
                case "floor", "ceil": spec.rounding = Rounding(rawValue: option)!
                default: throw words.error("unknown option \"\(option)\" (expected stride, dilation, pad, floor or ceil)")
                }
            }
            self = .conv(spec)
        case "maxpool", "avgpool":
            var spec = PoolSpec(kernel: try words.integer("a window size"))
            while let option = words.nextWord() {
                switch option {
                case "stride", "s": spec.stride = try words.integer("a stride")
                case "pad", "padding": spec.padding = try words.padding()
                case "floor", "ceil": spec.rounding = Rounding(rawValue: option)!
                default: throw words.error("unknown option \"\(option)\" (expected stride, pad, floor or ceil)")
                }
            }
            self = kind == "maxpool" ? .maxPool(spec) : .avgPool(spec)
        case "blurpool":
            let stride = try words.integer("a stride")
            var filter = 4
            if let option = words.nextWord() {
                guard option == "filter" else { throw words.error("unknown option \"\(option)\" (expected filter)") }
                filter = try words.integer("a filter size")
            }
            self = .blurPool(stride: stride, filter: filter)
        case "dense", "fc", "linear": self = .dense(units: try words.integer("the number of units"))
        case "dropout":
            guard let word = words.nextWord(), let rate = Float(word) else {
                throw words.error("expected a rate such as 0.3")
            }
            self = .dropout(rate: rate)
        case "relu": self = .relu
        case "gap", "globalavgpool": self = .globalAvgPool
        case "gmp", "globalmaxpool": self = .globalMaxPool
        case "flatten": self = .flatten
        case "bn", "batchnorm": self = .batchNorm
        default:
            throw words.error("unknown layer \"\(kind)\" (expected conv, relu, maxpool, avgpool, gap, gmp, blurpool, flatten, dense, bn or dropout)")
        }
        if let extra = words.nextWord() { throw words.error("unexpected \"\(extra)\" at the end") }
        try validate()
    }

    public init?(_ description: String) {
        guard let spec = try? LayerSpec(parsing: description) else { return nil }
        self = spec
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch let error as NNError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Padding {
    var text: String {
        switch self {
        case .valid: return "valid"
        case .same: return "same"
        case let .explicit(p): return "\(p)"
        }
    }
}

extension PoolSpec {
    /// " K[ stride S][ pad P][ ceil]", the part after the layer name.
    var text: String {
        var text = " \(kernel)"
        if stride != kernel { text += " stride \(stride)" }
        if padding != .valid { text += " pad \(padding.text)" }
        if rounding != .floor { text += " \(rounding.rawValue)" }
        return text
    }
}

/// Reads a layer description word by word.
private struct TokenReader {
    let text: String
    private var words: ArraySlice<String>

    init(text: String) {
        self.text = text
        words = ArraySlice(text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }

    mutating func nextWord() -> String? { words.popFirst() }

    func error(_ reason: String) -> NNError { .unparsableLayer(text: text, reason: reason) }

    mutating func word(_ expected: String) throws -> String {
        guard let word = nextWord() else { throw error("expected \(expected)") }
        return word
    }

    mutating func integer(_ expected: String) throws -> Int {
        guard let word = nextWord(), let value = Int(word) else { throw error("expected \(expected) (a whole number)") }
        return value
    }

    /// "3x3" or "3" (square).
    mutating func kernel() throws -> (Int, Int) {
        let word = try word("a kernel size such as 3x3")
        let parts = word.split(separator: "x").compactMap { Int($0) }
        switch parts.count {
        case 1 where !word.contains("x"): return (parts[0], parts[0])
        case 2: return (parts[0], parts[1])
        default: throw error("expected a kernel size such as 3x3, not \"\(word)\"")
        }
    }

    mutating func padding() throws -> Padding {
        let word = try word("a padding: same, valid or a number")
        switch word {
        case "same": return .same
        case "valid": return .valid
        default:
            guard let p = Int(word) else { throw error("expected a padding: same, valid or a number, not \"\(word)\"") }
            return .explicit(p)
        }
    }
}
