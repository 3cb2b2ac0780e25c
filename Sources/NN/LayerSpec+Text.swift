/// The short text form of a layer, used in configs, checkpoints and messages:
///
///     conv 3x3 32 [stride 2] [dilation 2] [groups 32] [pad same|valid|N|T,L,B,R] [floor|ceil]
///                                                             (default: pad same, groups 1)
///     maxpool 2 [stride 2] [pad valid|same|N|T,L,B,R] [floor|ceil]          (stride = window)
///     avgpool 2 … [include-pad]      gap      gmp      flatten      relu      bn
///     blurpool 2 [filter 4]      dense 10      dropout 0.3
///     relu6   clip 0 6   leakyrelu [0.01]   sigmoid   hardsigmoid [alpha 0.16666667 beta 0.5]
///     hardswish   silu   gelu   tanh   softmax   affine   bias [7x7]
///     add   mul   concat                                      (graph nodes with several inputs)
extension LayerSpec: CustomStringConvertible, LosslessStringConvertible, Codable {
    public var description: String {
        switch self {
        case let .conv(spec):
            var text = "conv \(spec.kernelHeight)x\(spec.kernelWidth) \(spec.filters)"
            if spec.stride != 1 { text += " stride \(spec.stride)" }
            if spec.dilation != 1 { text += " dilation \(spec.dilation)" }
            if spec.groups != 1 { text += " groups \(spec.groups)" }
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
        case let .activation(activation): return activation.description
        case .add: return "add"
        case .multiply: return "mul"
        case .concat: return "concat"
        case .softmax: return "softmax"
        case .affine: return "affine"
        case let .bias(height, width): return height == 1 && width == 1 ? "bias" : "bias \(height)x\(width)"
        }
    }

    /// The rounding rule `text` writes out (`maxpool 2 ceil`), nil when it names none: a
    /// model-wide rule replaces it (`withRounding`), so callers can refuse a conflict.
    public static func statedRounding(in text: String) -> Rounding? {
        var words = TokenReader(text: text), stated: Rounding?
        while let word = words.nextWord() { stated = Rounding(rawValue: word) ?? stated }
        return stated
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
                case "groups", "g": spec.groups = try words.integer("a number of groups")
                case "pad", "padding": spec.padding = try words.padding()
                case "floor", "ceil": spec.rounding = Rounding(rawValue: option)!
                default: throw words.error("unknown option \"\(option)\" (expected stride, dilation, groups, pad, floor or ceil)")
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
                case "include-pad" where kind == "avgpool": spec.countIncludePad = true
                default: throw words.error("unknown option \"\(option)\" (expected stride, pad, floor or ceil\(kind == "avgpool" ? " or include-pad" : ""))")
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
        case "add": self = .add
        case "mul", "multiply": self = .multiply
        case "concat": self = .concat
        case "softmax": self = .softmax
        case "affine": self = .affine
        case "bias":
            if words.hasMore {
                let (h, w) = try words.kernel()
                self = .bias(height: h, width: w)
            } else {
                self = .bias(height: 1, width: 1)
            }
        default:
            guard let activation = try Activation(kind: kind, words: &words) else {
                throw words.error("unknown layer \"\(kind)\" (expected conv, relu, maxpool, avgpool, gap, gmp, blurpool, flatten, dense, bn, dropout, an activation such as relu6, sigmoid, hardswish, silu or gelu, or a merge: add, mul, concat)")
            }
            self = .activation(activation)
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
        case let .asymmetric(top, left, bottom, right): return "\(top),\(left),\(bottom),\(right)"
        }
    }
}

extension Activation: CustomStringConvertible {
    public var description: String {
        switch self {
        case .clip(0, 6): return "relu6"
        case let .clip(lower, upper): return "clip \(lower) \(upper)"
        case let .leakyReLU(slope): return slope == 0.01 ? "leakyrelu" : "leakyrelu \(slope)"
        case .sigmoid: return "sigmoid"
        case let .hardSigmoid(alpha, beta):
            return alpha == 1 / 6 && beta == 0.5 ? "hardsigmoid" : "hardsigmoid alpha \(alpha) beta \(beta)"
        case .hardSwish: return "hardswish"
        case .silu: return "silu"
        case .gelu: return "gelu"
        case .tanh: return "tanh"
        }
    }

    /// The activation named `kind`, its arguments read from `words`; nil when `kind` names none.
    fileprivate init?(kind: String, words: inout TokenReader) throws {
        switch kind {
        case "relu6": self = .relu6
        case "clip": self = .clip(lower: try words.number("a lower bound"), upper: try words.number("an upper bound"))
        case "leakyrelu": self = .leakyReLU(slope: words.hasMore ? try words.number("a slope") : 0.01)
        case "sigmoid": self = .sigmoid
        case "hardsigmoid":
            var (alpha, beta): (Float, Float) = (1 / 6, 0.5)
            while let option = words.nextWord() {
                switch option {
                case "alpha": alpha = try words.number("alpha")
                case "beta": beta = try words.number("beta")
                default: throw words.error("unknown option \"\(option)\" (expected alpha or beta)")
                }
            }
            self = .hardSigmoid(alpha: alpha, beta: beta)
        case "hardswish": self = .hardSwish
        case "silu", "swish": self = .silu
        case "gelu": self = .gelu
        case "tanh": self = .tanh
        default: return nil
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
        if countIncludePad { text += " include-pad" }
        return text
    }
}

/// Reads a layer description word by word.
fileprivate struct TokenReader {
    let text: String
    private var words: ArraySlice<String>

    init(text: String) {
        self.text = text
        words = ArraySlice(text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }

    mutating func nextWord() -> String? { words.popFirst() }

    var hasMore: Bool { !words.isEmpty }

    func error(_ reason: String) -> NNError { .unparsableLayer(text: text, reason: reason) }

    mutating func word(_ expected: String) throws -> String {
        guard let word = nextWord() else { throw error("expected \(expected)") }
        return word
    }

    mutating func integer(_ expected: String) throws -> Int {
        guard let word = nextWord(), let value = Int(word) else { throw error("expected \(expected) (a whole number)") }
        return value
    }

    mutating func number(_ expected: String) throws -> Float {
        guard let word = nextWord(), let value = Float(word), value.isFinite else { throw error("expected \(expected) (a number)") }
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
            let sides = word.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            if sides.count == 4, sides.allSatisfy({ $0 != nil }) {
                return .asymmetric(top: sides[0]!, left: sides[1]!, bottom: sides[2]!, right: sides[3]!)
            }
            guard let p = Int(word) else {
                throw error("expected a padding: same, valid, a number or top,left,bottom,right such as 0,0,1,1, not \"\(word)\"")
            }
            return .explicit(p)
        }
    }
}
