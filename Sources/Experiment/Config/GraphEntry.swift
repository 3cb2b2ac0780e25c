import NN

/// One entry of `models[].graph`: a model as a list of layers that may contain blocks and named
/// nodes, unrolled into NN's `GraphSpec` by `GraphEntry.graph(_:classes:)`.
///
///     graph:
///       - conv 3x3 16                       # a layer reading the entry before it
///       - residual: [conv 3x3 32 stride 2, bn, relu, conv 3x3 32, bn]
///         shortcut: [conv 1x1 32 stride 2 pad 0, bn]     # optional projection
///         repeat: 1                         # optional: the same block again and again
///       - relu
///       - {name: gate, layer: mul, inputs: [7, 9]}        # any node, any earlier inputs
///
/// A residual block computes add(body(x), shortcut(x)), the shortcut being x itself when absent.
/// Nodes are named by position ("3") or, inside a block, by the block's name and position:
/// "4.1", "4.2", … for the body, "4.shortcut.1", … for the shortcut, "4.add" for the sum; a
/// block's `name:` replaces its number, and a repeated block's copies are numbered on ("4", "5",
/// … or "b.1", "b.2", … when named). A named node's `inputs` name earlier nodes or `input`.
public indirect enum GraphEntry: Hashable, Sendable {
    /// A layer in NN's text form, reading the entry before it.
    case layer(String)
    /// A node with its own name and inputs (default: numbered, reading the entry before it).
    case node(name: String?, layer: String, inputs: [String]?)
    /// add(body(x), shortcut(x)); `repeats` copies in a row.
    case residual(name: String?, body: [GraphEntry], shortcut: [GraphEntry]?, repeats: Int)
}

/// Where a graph entry went wrong: the path from the `graph:` list to the entry (`[3]`,
/// `residual`, `[1]`), and the sentence.
struct GraphEntryError: Error {
    var path: [String]
    var message: String
}

/// One node of an unrolled graph as run folders and checkpoints record it: its name, its layer
/// in NN's text form (the word `classes` standing for the class count) and the nodes it reads.
public struct GraphNodeRecord: Codable, Hashable, Sendable {
    public var name: String
    public var layer: String
    public var inputs: [String]

    /// The graph of `records` (`classes` written for the word `classes`), validated by NN.
    /// Throws `GraphEntryError` at the record's index, or at `origins[i]` when given.
    static func graph(_ records: [GraphNodeRecord], classes: Int, origins: [[String]]? = nil) throws -> GraphSpec {
        var nodes: [GraphSpec.Node] = []
        for (i, record) in records.enumerated() {
            do {
                let layer = try LayerSpec(experimentLine: record.layer, classes: classes)
                nodes.append(GraphSpec.Node(name: record.name, layer: layer, inputs: record.inputs))
            } catch {
                throw GraphEntryError(path: origins?[i] ?? ["[\(i)]"], message: "\(error)")
            }
        }
        do {
            return try GraphSpec(nodes: nodes)
        } catch let error as NNError {
            guard case let .invalidGraph(node?, _) = error, let i = records.firstIndex(where: { $0.name == node }) else {
                throw GraphEntryError(path: [], message: error.description)
            }
            throw GraphEntryError(path: origins?[i] ?? ["[\(i)]"], message: error.description)
        }
    }
}

extension GraphEntry {
    /// `entries` unrolled into named nodes, with the path of the entry that made each. Throws
    /// `GraphEntryError` for a block with no layers or fewer than one repeat.
    static func unroll(_ entries: [GraphEntry]) throws -> (records: [GraphNodeRecord], origins: [[String]]) {
        var builder = GraphBuilder()
        try builder.add(entries, prefix: "", path: [])
        return (builder.records, builder.origins)
    }

    /// The graph of `entries` (`GraphNodeRecord.graph`), errors at the entry that caused them.
    static func graph(_ entries: [GraphEntry], classes: Int) throws -> GraphSpec {
        let (records, origins) = try unroll(entries)
        return try GraphNodeRecord.graph(records, classes: classes, origins: origins)
    }

    /// The layer texts in order, blocks marked, for one-line summaries:
    /// "residual [conv 3x3 16, bn | shortcut conv 1x1 16]".
    var summary: String {
        switch self {
        case let .layer(text): return text
        case let .node(name, text, inputs):
            return (name.map { "\($0): " } ?? "") + text + (inputs.map { " ← " + $0.joined(separator: ", ") } ?? "")
        case let .residual(_, body, shortcut, repeats):
            let one = "residual [" + body.map(\.summary).joined(separator: ", ")
                + (shortcut.map { " | shortcut " + $0.map(\.summary).joined(separator: ", ") } ?? "") + "]"
            return repeats == 1 ? one : "\(repeats) × " + one
        }
    }
}

/// Unrolls entries into named nodes, remembering which entry made each node.
private struct GraphBuilder {
    var records: [GraphNodeRecord] = []
    /// The path under `graph:` of the entry that made each record.
    var origins: [[String]] = []
    /// The node the next plain entry reads.
    var last = GraphSpec.inputName

    mutating func add(_ entries: [GraphEntry], prefix: String, path: [String]) throws {
        var number = 0
        for (index, entry) in entries.enumerated() {
            let at = path + ["[\(index)]"]
            switch entry {
            case let .layer(text):
                number += 1
                append(name: prefix + "\(number)", text: text, inputs: [last], path: at)
            case let .node(name, text, inputs):
                number += 1
                append(name: name ?? prefix + "\(number)", text: text, inputs: inputs ?? [last], path: at)
            case let .residual(name, body, shortcut, repeats):
                guard repeats >= 1 else {
                    throw GraphEntryError(path: at + ["repeat"], message: "a block must appear at least once; write `repeat: 1` or leave it out.")
                }
                guard !body.isEmpty else {
                    throw GraphEntryError(path: at + ["residual"], message: "the block has no layers; list the layers of its main path, e.g. `residual: [conv 3x3 16, bn, relu, conv 3x3 16, bn]`.")
                }
                for copy in 1...repeats {
                    number += 1
                    let block = name.map { repeats == 1 ? prefix + $0 : prefix + "\($0).\(copy)" } ?? prefix + "\(number)"
                    let start = last
                    try add(body, prefix: block + ".", path: at + ["residual"])
                    let main = last
                    last = start
                    if let shortcut { try add(shortcut, prefix: block + ".shortcut.", path: at + ["shortcut"]) }
                    append(name: block + ".add", text: "add", inputs: [main, last], path: at)
                }
            }
        }
    }

    mutating func append(name: String, text: String, inputs: [String], path: [String]) {
        records.append(GraphNodeRecord(name: name, layer: text, inputs: inputs))
        origins.append(path)
        last = name
    }
}

extension GraphEntry: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, layer, inputs, residual, shortcut, `repeat` }

    /// A string is a layer; a mapping is a named node (`layer:`) or a residual block (`residual:`).
    public init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .layer(text)
            return
        }
        let f = try FieldReader(decoder, CodingKeys.self)
        let name: String? = f.optional(.name)
        switch (f.contains(.layer), f.contains(.residual)) {
        case (true, false):
            for key in [CodingKeys.shortcut, .repeat] {
                f.check(!f.contains(key), key, "`\(key.stringValue)` belongs to a `residual:` block, not to a node with `layer:`; remove it.")
            }
            self = .node(name: name, layer: f.optional(.layer) ?? "", inputs: f.optional(.inputs))
        case (false, true):
            f.check(!f.contains(.inputs), .inputs, "a residual block reads the entry before it; to read other nodes, write its layers as named nodes with `inputs:`.")
            let repeats: Int? = f.optional(.repeat)
            self = .residual(name: name, body: f.optional(.residual) ?? [], shortcut: f.optional(.shortcut), repeats: repeats ?? 1)
        default:
            f.problem("give `layer:` (a node, e.g. `{name: gate, layer: mul, inputs: [a, b]}`) or `residual:` (a block, e.g. `{residual: [conv 3x3 16, bn, relu, conv 3x3 16, bn]}`), not \(f.contains(.layer) ? "both" : "neither").")
            throw AlreadyLogged()
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case let .layer(text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case let .node(name, layer, inputs):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encode(layer, forKey: .layer)
            try container.encodeIfPresent(inputs, forKey: .inputs)
        case let .residual(name, body, shortcut, repeats):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encode(body, forKey: .residual)
            try container.encodeIfPresent(shortcut, forKey: .shortcut)
            if repeats != 1 { try container.encode(repeats, forKey: .repeat) }
        }
    }
}
