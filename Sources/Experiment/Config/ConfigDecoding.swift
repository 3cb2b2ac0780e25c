import Yams

// Experiment files decode into Codable structs, but Codable stops at the first error and ignores
// unknown keys. The helpers here make decoding lenient: every struct reads its fields through a
// `FieldReader`, which logs a wrong type, a missing key or an unknown key into the shared
// `ProblemLog` and substitutes the default, so one pass finds every problem. `parseExperiment`
// then maps each logged coding path back to its line in the YAML node tree.

/// Problems found while decoding one file, with the coding path of each.
final class ProblemLog {
    struct Entry {
        var path: [String]
        var message: String
        /// Point at the key itself (unknown keys) rather than at its value.
        var atKey: Bool = false
    }
    var entries: [Entry] = []
    /// The parsed file, to quote what it holds ("found `ten`") and to find lines.
    let root: Node

    init(root: Node) { self.root = root }

    func add(_ path: [CodingKey], _ message: String, atKey: Bool = false) {
        entries.append(Entry(path: path.map(pathComponent), message: message, atKey: atKey))
    }

    static let userInfoKey = CodingUserInfoKey(rawValue: "reslab.problemLog")!
}

/// A mapping key or sequence index, as a path component: `"[3]"` for index 3.
func pathComponent(_ key: CodingKey) -> String {
    key.intValue.map { "[\($0)]" } ?? key.stringValue
}

/// `training.optimizer.lr`, `models[1].layers`.
func dottedPath(_ components: [String]) -> String {
    components.reduce("") { path, part in
        part.hasPrefix("[") || path.isEmpty ? path + part : path + "." + part
    }
}

/// Any string key, used to list every key a mapping holds.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A list index as a coding key.
struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(intValue ?? 0) }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// Thrown by a nested decode whose problem is already logged; the parent substitutes its default.
struct AlreadyLogged: Error {}

/// Reads the fields of one YAML mapping, logging instead of throwing.
struct FieldReader<Key: CodingKey & CaseIterable> {
    let container: KeyedDecodingContainer<AnyKey>
    let log: ProblemLog
    let path: [CodingKey]

    /// Opens the mapping at `decoder` and logs every key that `Key` does not list.
    init(_ decoder: Decoder, _ keys: Key.Type) throws {
        guard let log = decoder.userInfo[ProblemLog.userInfoKey] as? ProblemLog else {
            preconditionFailure("experiment structs decode through parseExperiment, which supplies the problem log")
        }
        self.log = log
        self.path = decoder.codingPath
        do {
            container = try decoder.container(keyedBy: AnyKey.self)
        } catch {
            log.add(decoder.codingPath, "expected a mapping with keys \(Self.known); found \(describeFound(decoder.codingPath.map(pathComponent), in: log.root)).")
            throw AlreadyLogged()
        }
        for key in container.allKeys where Key(stringValue: key.stringValue) == nil {
            let hint = closest(to: key.stringValue, in: Key.allCases.map(\.stringValue))
                .map { "did you mean `\($0)`? " } ?? ""
            log.add(path + [key], "unknown key; \(hint)known keys here: \(Self.known).", atKey: true)
        }
    }

    static var known: String { Key.allCases.map(\.stringValue).joined(separator: ", ") }

    func contains(_ key: Key) -> Bool { container.contains(AnyKey(stringValue: key.stringValue)) }

    /// The value at `key`, or nil when it is absent or has problems (which are logged).
    func optional<T: Decodable>(_ key: Key) -> T? {
        let anyKey = AnyKey(stringValue: key.stringValue)
        guard container.contains(anyKey) else { return nil }
        do {
            return try container.decode(T.self, forKey: anyKey)
        } catch is AlreadyLogged {
            return nil
        } catch let error as DecodingError {
            logDecodingError(error, fallbackPath: path + [anyKey], type: T.self)
            return nil
        } catch {
            log.add(path + [anyKey], "\(error)")
            return nil
        }
    }

    /// The value at `key`; logs "missing" when absent.
    func required<T: Decodable>(_ key: Key, _ what: String) -> T? {
        if !contains(key) {
            log.add(path, "missing `\(key.stringValue)` (\(what)).")
            return nil
        }
        return optional(key)
    }

    /// Logs `message` at `key` unless `condition` holds.
    func check(_ condition: Bool, _ key: Key, _ message: String) {
        if !condition { log.add(path + [AnyKey(stringValue: key.stringValue)], message) }
    }

    /// Logs `message` at this mapping.
    func problem(_ message: String) { log.add(path, message) }

    /// Logs `message` at element `index` of the list at `key`.
    func problem(at key: Key, _ index: Int, _ message: String) {
        log.add(path + [AnyKey(stringValue: key.stringValue), IndexKey(intValue: index)], message)
    }

    private func logDecodingError(_ error: DecodingError, fallbackPath: [CodingKey], type: Any.Type) {
        switch error {
        case let .typeMismatch(expected, context):
            log.add(context.codingPath, "expected \(expectation(expected)), found \(foundText(context.codingPath)).")
        case let .dataCorrupted(context):
            log.add(context.codingPath, context.debugDescription)
        case let .valueNotFound(expected, context):
            log.add(context.codingPath, "expected \(expectation(expected)), found nothing.")
        case let .keyNotFound(key, context):
            log.add(context.codingPath, "missing `\(key.stringValue)`.")
        @unknown default:
            log.add(fallbackPath, "\(error)")
        }
    }

    private func foundText(_ path: [CodingKey]) -> String {
        describeFound(path.map(pathComponent), in: log.root)
    }
}

/// "`ten`", "a list", "a mapping" or "nothing" for the value at `path`.
func describeFound(_ path: [String], in root: Node) -> String {
    guard let (node, _) = locate(path, in: root) else { return "nothing" }
    switch node {
    case .scalar(let scalar): return "`\(scalar.string)`"
    case .sequence: return "a list"
    case .mapping: return "a mapping"
    case .alias: return "an alias"
    }
}

/// The node at `path` and the mark of the key that holds it (for mapping entries).
func locate(_ path: [String], in root: Node) -> (Node, Mark?)? {
    var node = root
    var keyMark: Mark? = nil
    for component in path {
        if component.hasPrefix("["), let index = Int(component.dropFirst().dropLast()) {
            guard case .sequence(let sequence) = node, index < sequence.count else { return nil }
            node = sequence[index]
            keyMark = nil
        } else {
            guard case .mapping(let mapping) = node,
                  let entry = mapping.first(where: { $0.key.string == component }) else { return nil }
            node = entry.value
            keyMark = entry.key.mark
        }
    }
    return (node, keyMark)
}

/// The words for what a type expects: "an integer", "a list", …
func expectation(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type: return "an integer"
    case is Double.Type, is Float.Type: return "a number"
    case is Bool.Type: return "true or false"
    case is String.Type: return "a string"
    case is Node.Mapping.Type: return "a mapping"
    case is Node.Sequence.Type: return "a list"
    case is Node.Scalar.Type: return "a single value"
    default: return "a value of type \(type)"
    }
}

/// The candidate within edit distance 2 of `word`, if one is.
func closest(to word: String, in candidates: [String]) -> String? {
    candidates
        .map { ($0, editDistance(Array(word), Array($0))) }
        .filter { $0.1 <= 2 }
        .min { $0.1 < $1.1 }?.0
}

/// Levenshtein distance (insertions, deletions, substitutions each cost 1).
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for (i, ca) in a.enumerated() {
        var current = [i + 1]
        for (j, cb) in b.enumerated() {
            current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
        }
        previous = current
    }
    return previous[b.count]
}

/// A string enum of the experiment file; an unknown value lists the allowed ones.
public protocol ConfigEnum: Codable, CaseIterable, RawRepresentable where RawValue == String {}

extension ConfigEnum {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "`\(raw)` is not one of \(allowed).")
        }
        self = value
    }
}
