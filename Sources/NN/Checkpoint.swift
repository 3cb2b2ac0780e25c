import Foundation

/// What a checkpoint records beside the weights: the class names (in label order), the input
/// normalisation the network was trained with, and free-form notes (dataset, seed, …).
public struct CheckpointMetadata: Equatable, Sendable, Codable {
    public var classNames: [String]
    /// Per-channel (x − mean) / std applied to [0, 1] pixel values before the network.
    public var mean: [Float]
    public var std: [Float]
    public var notes: [String: String]

    public init(classNames: [String], mean: [Float], std: [Float], notes: [String: String] = [:]) {
        self.classNames = classNames
        self.mean = mean
        self.std = std
        self.notes = notes
    }
}

/// The checkpoint file, version 2 (all integers little-endian):
///
///     bytes 0..<8    magic "RESLABNN"
///     bytes 8..<12   version (UInt32) = 2
///     bytes 12..<16  header length L (UInt32)
///     bytes 16..<16+L header: JSON `CheckpointHeader` (graph, training size, metadata, tensor
///                    table, payload size and FNV-1a 64 checksum; in a training state also the
///                    `TrainingSection`)
///     then           payload: the parameter arena as raw float32 (A = arena size values), then in
///                    a training state the optimizer's moment vectors (`momentVectors` × A values);
///                    `payloadFloats` values in all
///
/// Version 2 stores the graph (`graph`: each node's name, layer text and inputs); version 1
/// stored a list model (`model`: layer texts), which loads as its chain graph. Loading checks
/// each part and refuses a file that is truncated, has trailing bytes, fails the checksum, or
/// whose tensor table differs from the one its architecture implies.
struct CheckpointHeader: Codable, Equatable {
    /// One node of the stored graph.
    struct Node: Codable, Equatable {
        var name: String
        var layer: LayerSpec
        var inputs: [String]
    }

    /// Version 1: the list model.
    var model: ModelSpec?
    /// Version 2: the graph's nodes, in order.
    var nodes: [Node]?
    var inputChannels: Int
    var trainingHeight: Int
    var trainingWidth: Int
    var metadata: CheckpointMetadata
    var tensors: [ParameterEntry]
    /// Present in a resumable training state (`Network.encodeTrainingState`), absent in a checkpoint.
    var training: TrainingSection?
    var payloadFloats: Int
    var payloadChecksum: String

    static let magic = Array("RESLABNN".utf8)
    static let version: UInt32 = 2
    /// The versions this reslab reads.
    static let readableVersions: ClosedRange<UInt32> = 1...2

    /// The stored graph (a version-1 list model as its chain graph).
    func graph(file: String) throws -> GraphSpec {
        if let nodes {
            do {
                return try GraphSpec(nodes: nodes.map { GraphSpec.Node(name: $0.name, layer: $0.layer, inputs: $0.inputs) })
            } catch {
                throw NNError.badCheckpoint(file: file, reason: "its graph is not valid (\(error)); the file is corrupt")
            }
        }
        guard let model else { throw NNError.badCheckpoint(file: file, reason: "its header holds no model; the file is corrupt") }
        return GraphSpec(chain: model)
    }
}

extension GraphSpec {
    /// The model in words for messages: a chain as its layer list, any other graph node by node
    /// ("name: layer ← inputs").
    var summary: String {
        let chain = nodes.enumerated().allSatisfy { j, node in node.inputs == [j == 0 ? GraphSpec.inputName : nodes[j - 1].name] }
        if chain { return nodes.map(\.layer.description).joined(separator: ", ") }
        return nodes.map { "\($0.name): \($0.layer) ← \($0.inputs.joined(separator: " + "))" }.joined(separator: "; ")
    }
}

extension Network {
    /// Writes the network and `metadata` to `path` (see `CheckpointHeader` for the format).
    public func save(to path: String, metadata: CheckpointMetadata) throws {
        let file = try checkpointData(metadata: metadata, file: path, training: nil, moments: nil)
        do {
            try file.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NNError.badCheckpoint(file: path, reason: "it could not be written (\(error.localizedDescription)); check the folder exists and is writable")
        }
    }

    /// Reads a checkpoint written by `save` (or a training state: its weights). With `expecting`,
    /// also refuses a checkpoint of a different architecture.
    public static func load(from path: String, expecting expected: ModelSpec? = nil) throws -> (Network, CheckpointMetadata) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNError.badCheckpoint(file: path, reason: "the file does not exist or cannot be read")
        }
        let (header, payload) = try readCheckpoint(data, file: path)
        let graph = try header.graph(file: path)
        if let expected, GraphSpec(chain: expected) != graph {
            throw NNError.badCheckpoint(file: path, reason: "it holds the model [\(graph.summary)] but [\(expected)] was asked for")
        }
        let network = try Network(graph: graph, inputChannels: header.inputChannels, classes: header.metadata.classNames.count,
                                  trainingHeight: header.trainingHeight, trainingWidth: header.trainingWidth, seed: 0)
        try network.checkLayout(header, file: path)
        copyFloats(payload, from: 0, count: network.arena.count, to: network.arena.values)
        return (network, header.metadata)
    }

    /// The file's bytes: preamble, header, then the weights followed by `moments` (raw float32).
    func checkpointData(metadata: CheckpointMetadata, file: String, training: TrainingSection?, moments: Data?) throws -> Data {
        try checkMetadata(metadata, file: file)
        var payload = Data(bytes: arena.values, count: arena.count * 4)
        if let moments { payload.append(moments) }
        let header = CheckpointHeader(
            nodes: graph.nodes.map { CheckpointHeader.Node(name: $0.name, layer: $0.layer, inputs: $0.inputs) },
            inputChannels: inputChannels, trainingHeight: trainingHeight, trainingWidth: trainingWidth,
            metadata: metadata, tensors: arena.entries, training: training, payloadFloats: payload.count / 4,
            payloadChecksum: fnv1a(payload))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var bytes = Data(CheckpointHeader.magic)
        withUnsafeBytes(of: CheckpointHeader.version.littleEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(json)
        bytes.append(payload)
        return bytes
    }

    /// Refuses a header whose tensor table, payload size or metadata does not fit this network.
    func checkLayout(_ header: CheckpointHeader, file: String) throws {
        let vectors = header.training?.momentVectors ?? 0
        guard arena.entries == header.tensors, arena.count * (1 + vectors) == header.payloadFloats else {
            throw NNError.badCheckpoint(file: file, reason: "its tensor table does not match its architecture; the file is corrupt or from an incompatible reslab")
        }
        try checkMetadata(header.metadata, file: file)
    }

    private func checkMetadata(_ metadata: CheckpointMetadata, file: String) throws {
        guard metadata.classNames.count == classes else {
            throw NNError.badCheckpoint(file: file, reason: "it names \(metadata.classNames.count) classes but the network has \(classes) outputs")
        }
        guard metadata.mean.count == inputChannels, metadata.std.count == inputChannels else {
            throw NNError.badCheckpoint(file: file, reason: "its normalisation has \(metadata.mean.count) means and \(metadata.std.count) standard deviations but the network takes \(inputChannels) channels")
        }
    }
}

/// Splits a checkpoint file's bytes into its header and payload, refusing (naming `file`) bytes
/// that are truncated, have trailing bytes, fail the checksum or are not a version-1 or 2 checkpoint.
func readCheckpoint(_ data: Data, file: String) throws -> (CheckpointHeader, Data) {
    func refuse(_ reason: String) -> NNError { .badCheckpoint(file: file, reason: reason) }
    let bytes = [UInt8](data)
    guard bytes.count >= 16 else { throw refuse("it is \(bytes.count) bytes long, shorter than the 16-byte preamble (truncated?)") }
    guard Array(bytes[0..<8]) == CheckpointHeader.magic else {
        throw refuse("it does not start with \"RESLABNN\", so it is not a reslab checkpoint")
    }
    let version = bytes[8..<12].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    guard CheckpointHeader.readableVersions.contains(version) else {
        throw refuse("it has format version \(version) but this reslab reads versions \(CheckpointHeader.readableVersions.lowerBound) to \(CheckpointHeader.readableVersions.upperBound); use the reslab that wrote it")
    }
    let headerLength = Int(bytes[12..<16].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    guard bytes.count >= 16 + headerLength else {
        throw refuse("its header claims \(headerLength) bytes but only \(bytes.count - 16) follow (truncated)")
    }
    let header: CheckpointHeader
    do {
        header = try JSONDecoder().decode(CheckpointHeader.self, from: Data(bytes[16..<16 + headerLength]))
    } catch {
        throw refuse("its header is not valid (\(error)); the file is corrupt")
    }
    let payload = Data(bytes[(16 + headerLength)...])
    guard payload.count == header.payloadFloats * 4 else {
        throw refuse("it should hold \(header.payloadFloats * 4) bytes of weights but holds \(payload.count) (\(payload.count < header.payloadFloats * 4 ? "truncated" : "trailing bytes"))")
    }
    guard fnv1a(payload) == header.payloadChecksum else {
        throw refuse("its weights fail the checksum (stored \(header.payloadChecksum), computed \(fnv1a(payload))); the file is corrupt")
    }
    return (header, payload)
}

/// Copies `count` little-endian float32 values from `data`, starting at value `first`, to `destination`.
func copyFloats(_ data: Data, from first: Int, count: Int, to destination: UnsafeMutablePointer<Float>) {
    data.withUnsafeBytes { raw in
        for i in 0..<count {
            destination[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * (first + i), as: UInt32.self)))
        }
    }
}

/// FNV-1a 64-bit hash of `data`, as 16 hex digits (a corruption check, not a security measure).
func fnv1a(_ data: Data) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in data {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
