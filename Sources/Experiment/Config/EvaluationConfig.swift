import Resample

/// `evaluation:` — each trained model is tested at every resolution × method × antialias setting.
public struct EvaluationConfig: Codable, Equatable, Sendable {
    public var resolutions: ResolutionList = .list([16, 24, 32])
    public var methods: [Filter] = [.bilinear]
    /// Antialias settings to test (true widens the filter by the downscale factor, as Pillow).
    public var antialias: [Bool] = [true]
    public var crop: TestCrop = .squash
    public var batch: Int = 256

    enum CodingKeys: String, CodingKey, CaseIterable { case resolutions, methods, antialias, crop, batch }

    public init() {}

    public init(from decoder: Decoder) throws {
        let f = try FieldReader(decoder, CodingKeys.self)
        resolutions = f.optional(.resolutions) ?? resolutions
        methods = f.optional(.methods) ?? methods
        antialias = f.optional(.antialias) ?? antialias
        crop = f.optional(.crop) ?? crop
        batch = f.optional(.batch) ?? batch
        f.check(!methods.isEmpty, .methods, "list at least one resize method.")
        f.check(!antialias.isEmpty, .antialias, "list true, false or both.")
        f.check(batch >= 1, .batch, "must be at least 1.")
    }
}

/// Test resolutions: a list `[16, 24, 32]` or a range `{from: 8, to: 64, step: 8}` (inclusive).
public enum ResolutionList: Codable, Equatable, Sendable {
    case list([Int])
    case range(from: Int, to: Int, step: Int)

    enum CodingKeys: String, CodingKey, CaseIterable { case from, to, step }

    public var values: [Int] {
        switch self {
        case let .list(values): return values
        case let .range(from, to, step): return step > 0 && from <= to ? Array(stride(from: from, through: to, by: step)) : []
        }
    }

    /// Whether `size` is one of `values`, without expanding a range (which may be refused for
    /// holding 2⁶³ sizes only later, by `checkLimits`).
    public func contains(_ size: Int) -> Bool {
        switch self {
        case let .list(values): return values.contains(size)
        case let .range(from, to, step): return step > 0 && from <= size && size <= to && (size - from) % step == 0
        }
    }

    /// The sizes for a message: "12, 16, 20", or "8 to 64 every 8" for a range.
    var listed: String {
        switch self {
        case let .list(values): return values.map(String.init).joined(separator: ", ")
        case let .range(from, to, step): return "\(from) to \(to) every \(step)"
        }
    }

    public init(from decoder: Decoder) throws {
        if (try? decoder.container(keyedBy: AnyKey.self)) != nil {
            let f = try FieldReader(decoder, CodingKeys.self)
            let from: Int = f.required(.from, "the smallest size") ?? 1
            let to: Int = f.required(.to, "the largest size") ?? 1
            let step: Int = f.required(.step, "the spacing") ?? 1
            f.check(step >= 1, .step, "must be at least 1.")
            f.check(1 <= from && from <= to, .to, "must be at least `from` (\(from)), and sizes at least 1.")
            self = .range(from: from, to: to, step: step)
        } else {
            let values = try decoder.singleValueContainer().decode([Int].self)
            if values.isEmpty || values.contains(where: { $0 < 1 }) {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "list one or more sizes in pixels, e.g. [16, 24, 32], or a range {from: 8, to: 64, step: 8}."))
            }
            self = .list(values)
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .list(values):
            var c = encoder.singleValueContainer()
            try c.encode(values)
        case let .range(from, to, step):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(step, forKey: .step)
        }
    }
}

/// How a test image becomes size×size: `squash` (resize both sides, aspect not kept), or timm's
/// evaluation crop `{crop_pct: 0.875}` (resize the shorter side to size/crop_pct, then centre-crop).
public enum TestCrop: Codable, Hashable, Sendable {
    case squash
    case center(cropPct: Double)

    enum CodingKeys: String, CodingKey, CaseIterable { case cropPct = "crop_pct" }

    public init(from decoder: Decoder) throws {
        if let word = try? decoder.singleValueContainer().decode(String.self) {
            guard word == "squash" else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "`\(word)` is not a crop mode; write squash, or {crop_pct: 0.875} for timm's centre crop."))
            }
            self = .squash
            return
        }
        let f = try FieldReader(decoder, CodingKeys.self)
        let pct: Double = f.required(.cropPct, "the share of the shorter side kept, e.g. 0.875") ?? 1
        f.check(pct > 0 && pct <= 1, .cropPct, "must lie in (0, 1], e.g. 0.875.")
        self = .center(cropPct: pct)
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .squash:
            var c = encoder.singleValueContainer()
            try c.encode("squash")
        case let .center(pct):
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pct, forKey: .cropPct)
        }
    }
}
