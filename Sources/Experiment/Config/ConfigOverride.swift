import Yams

/// One `--set PATH=VALUE` of `reslab run`: it replaces (or adds) the value at a dotted path of
/// the experiment file's YAML tree before decoding, so the result is checked exactly like the
/// file, and problems it causes name it (`--set training.epoch=2: training.epoch: unknown key; …`).
///
/// `PATH` is keys joined by dots, with `[i]` for a list entry (`models[0].rounding`); `VALUE` is
/// YAML (`2`, `[nearest, bilinear]`, `{flip: true}`). A missing key is added, with any mappings
/// above it; a list index must exist.
public struct ConfigOverride: Sendable, Equatable {
    /// As given, without `--set`: `training.epochs=2`.
    public var text: String
    /// `["training", "epochs"]`, `["models", "[0]", "rounding"]` (the components of `ProblemLog`).
    var path: [String]
    /// The value as YAML text.
    var value: String

    /// Reads `PATH=VALUE`; throws `.badOverride` naming what is wrong with it.
    public init(parsing text: String) throws {
        self.text = text
        guard let equals = text.firstIndex(of: "=") else {
            throw ExperimentError.badOverride(text, reason: "write it as PATH=VALUE, e.g. training.epochs=2")
        }
        value = String(text[text.index(after: equals)...])
        path = []
        for key in text[..<equals].split(separator: ".", omittingEmptySubsequences: false) {
            var key = Substring(key)
            var indices: [String] = []
            while key.hasSuffix("]"), let open = key.lastIndex(of: "[") {
                let digits = key[key.index(after: open)..<key.index(before: key.endIndex)]
                guard let index = Int(digits), index >= 0 else {
                    throw ExperimentError.badOverride(text, reason: "`[\(digits)]` is not a list index; write e.g. models[0].rounding")
                }
                indices.insert("[\(index)]", at: 0)
                key = key[..<open]
            }
            guard !key.isEmpty, !key.contains("["), !key.contains("]") else {
                throw ExperimentError.badOverride(text, reason: "the path has an empty or malformed key; write keys joined by dots, e.g. training.optimizer.lr=0.1")
            }
            path += [String(key)] + indices
        }
        if value.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ExperimentError.badOverride(text, reason: "give a value after `=`, e.g. \(text)2")
        }
    }

    /// `root` with this override's value at its path.
    func apply(to root: Node) throws -> Node {
        let node: Node?
        do { node = try Yams.compose(yaml: value) } catch {
            throw ExperimentError.badOverride(text, reason: "`\(value)` is not valid YAML; quote the whole option, e.g. --set 'evaluation.methods=[nearest, bilinear]'")
        }
        guard let node else { throw ExperimentError.badOverride(text, reason: "give a value after `=`") }
        return try replacing(path[...], in: root, with: node)
    }

    /// `node` with the value at `path` (below it) replaced by `value`.
    private func replacing(_ path: ArraySlice<String>, in node: Node?, with value: Node) throws -> Node {
        guard let component = path.first else { return value }
        let above = dottedPath(Array(self.path[..<path.startIndex]))
        let place = above.isEmpty ? "the file's top level" : "`\(above)`"
        if component.hasPrefix("[") {
            let index = Int(component.dropFirst().dropLast())!
            guard case let .sequence(sequence)? = node else {
                throw ExperimentError.badOverride(text, reason: "\(place) is not a list, so it has no entry \(component)")
            }
            guard index < sequence.count else {
                throw ExperimentError.badOverride(text, reason: "\(place) has \(sequence.count) entries, so it has no entry \(component) (they count from 0)")
            }
            var nodes = Array(sequence)
            nodes[index] = try replacing(path.dropFirst(), in: nodes[index], with: value)
            return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
        }
        let mapping: Node.Mapping
        switch node {
        case nil: mapping = Node.Mapping([])
        case let .mapping(existing)?: mapping = existing
        default: throw ExperimentError.badOverride(text, reason: "\(place) is not a mapping, so it has no key `\(component)`")
        }
        var pairs = mapping.map { ($0.key, $0.value) }
        if let index = pairs.firstIndex(where: { $0.0.string == component }) {
            pairs[index].1 = try replacing(path.dropFirst(), in: pairs[index].1, with: value)
        } else {
            pairs.append((Node(component), try replacing(path.dropFirst(), in: nil, with: value)))
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    }

    /// Whether `problem` comes from this override: it lies at or below the overridden value, or
    /// is an unknown key on the way there (`--set trainin.epochs=2`).
    func covers(_ problem: ProblemLog.Entry) -> Bool {
        problem.path.starts(with: path) || (problem.atKey && path.starts(with: problem.path))
    }
}
