import Foundation

/// Reads a `TensorProto` into a `ConstantTensor`: float32, int64 or int32 data, stored inline
/// (typed fields or `raw_data`, little-endian) or in an external file beside the model.
struct TensorDecoder {
    /// The folder holding the model; external data must lie inside it.
    var modelFolder: URL

    private enum ElementType {
        case float32, int64, int32

        var bytes: Int { self == .int32 || self == .float32 ? 4 : 8 }
    }

    func decode(_ tensor: Onnx_TensorProto, name: String) throws -> ConstantTensor {
        func refuse(_ reason: String) -> ONNXError { ONNXError.badTensor(name: name, reason: reason) }
        let type: ElementType
        switch tensor.dataType {
        case Int32(Onnx_TensorProto.DataType.float.rawValue): type = .float32
        case Int32(Onnx_TensorProto.DataType.int64.rawValue): type = .int64
        case Int32(Onnx_TensorProto.DataType.int32.rawValue): type = .int32
        default:
            let typeName = Onnx_TensorProto.DataType(rawValue: Int(tensor.dataType)).map { "\($0)" } ?? "number \(tensor.dataType)"
            throw refuse("its element type is \(typeName); reslab reads float32 weights and int64/int32 shapes (convert a float16 or quantized model to float32 first)")
        }
        guard let count = ConstantTensor.elementCount(tensor.dims) else {
            let declared = tensor.dims.map(String.init).joined(separator: "×")
            throw refuse("it declares a shape of \(declared), which is negative or more than \(ConstantTensor.maxElements) elements (the most reslab reads per tensor)")
        }
        let dims = tensor.dims.map { Int($0) }
        let bytes: Data
        if tensor.dataLocation == .external {
            bytes = try externalBytes(tensor, name: name, expected: count * type.bytes)
        } else if !tensor.rawData.isEmpty {
            guard tensor.rawData.count == count * type.bytes else {
                throw refuse("its shape \(dims) needs \(count * type.bytes) bytes of raw data but it holds \(tensor.rawData.count)")
            }
            bytes = tensor.rawData
        } else {
            let stored: Int
            switch type {
            case .float32: stored = tensor.floatData.count
            case .int64: stored = tensor.int64Data.count
            case .int32: stored = tensor.int32Data.count
            }
            guard stored == count else { throw refuse("its shape \(dims) needs \(count) values but it holds \(stored)") }
            switch type {
            case .float32: return ConstantTensor(dims: dims, values: .floats(tensor.floatData))
            case .int64: return ConstantTensor(dims: dims, values: .ints(tensor.int64Data))
            case .int32: return ConstantTensor(dims: dims, values: .ints(tensor.int32Data.map(Int64.init)))
            }
        }
        // Little-endian words read straight from the buffer. Indexing `Data` byte by byte (four
        // subscripts per float, each with its own exclusivity check) made importing an 11.7
        // M-parameter ResNet-18 take 2.0–2.1 s; reading words, 0.6 s (`bench onnx`, alternated).
        return bytes.withUnsafeBytes { raw in
            switch type {
            case .float32:
                return ConstantTensor(dims: dims, values: .floats((0..<count).map { i in
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }))
            case .int32:
                return ConstantTensor(dims: dims, values: .ints((0..<count).map { i in
                    Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }))
            case .int64:
                return ConstantTensor(dims: dims, values: .ints((0..<count).map { i in
                    Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }))
            }
        }
    }

    /// The `expected` bytes of an external tensor: `location` (a relative path inside the
    /// model's folder), `offset` and `length` from `external_data`.
    private func externalBytes(_ tensor: Onnx_TensorProto, name: String, expected: Int) throws -> Data {
        func refuse(_ reason: String) -> ONNXError { ONNXError.badTensor(name: name, reason: reason) }
        var entries: [String: String] = [:]
        for entry in tensor.externalData { entries[entry.key] = entry.value }
        guard let location = entries["location"], !location.isEmpty else {
            throw refuse("it is stored externally but names no file (external_data has no \"location\")")
        }
        let folder = modelFolder.standardizedFileURL.path
        let file = modelFolder.appendingPathComponent(location).standardizedFileURL
        guard !location.hasPrefix("/"), file.path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw refuse("its external data file \"\(location)\" lies outside the model's folder \(folder); keep the data files beside the model")
        }
        let offset = entries["offset"].map { Int($0) } ?? 0
        let length = entries["length"].map { Int($0) } ?? expected
        guard let offset, let length, offset >= 0, length == expected else {
            throw refuse("its external_data offset/length (\(entries["offset"] ?? "0"), \(entries["length"] ?? "none")) do not describe the \(expected) bytes its shape needs")
        }
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw refuse("its external data file \(file.path) is missing or unreadable; copy it beside the model")
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        guard UInt64(offset) + UInt64(length) <= size else {
            throw refuse("its external data file \(file.path) has \(size) bytes, fewer than offset \(offset) + length \(length)")
        }
        try handle.seek(toOffset: UInt64(offset))
        guard let data = try handle.read(upToCount: length), data.count == length else {
            throw refuse("its external data file \(file.path) could not be read")
        }
        return data
    }
}
