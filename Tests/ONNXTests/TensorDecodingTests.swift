import Foundation
import Testing
@testable import ONNX

/// `raw_data` is little-endian whatever the machine: bytes written out by hand here (not by the
/// decoder's own loads) must come back as these values, for each element type, also when the
/// bytes are a slice of a larger buffer (as external data is).
struct TensorDecodingTests {
    private func tensor(_ type: Onnx_TensorProto.DataType, dims: [Int64], raw: Data) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.dataType = Int32(type.rawValue)
        t.dims = dims
        t.rawData = raw
        return t
    }

    private func decode(_ t: Onnx_TensorProto) throws -> ConstantTensor {
        try TensorDecoder(modelFolder: FileManager.default.temporaryDirectory).decode(t, name: "t")
    }

    @Test func float32FromLittleEndianBytes() throws {
        // 1.0 = 0x3F800000, −2.5 = 0xC0200000, the smallest subnormal 0x00000001.
        let raw = Data([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0, 0x01, 0x00, 0x00, 0x00])
        let decoded = try decode(tensor(.float, dims: [3], raw: raw))
        #expect(decoded.dims == [3])
        #expect(decoded.values == .floats([1.0, -2.5, Float(bitPattern: 1)]))
    }

    @Test func int32AndInt64FromLittleEndianBytes() throws {
        // int32: 1, −2 (0xFFFFFFFE), 0x12345678.
        let int32 = Data([0x01, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0x78, 0x56, 0x34, 0x12])
        #expect(try decode(tensor(.int32, dims: [3], raw: int32)).values == .ints([1, -2, 0x1234_5678]))
        // int64: −1, 2⁴⁰ + 3.
        let int64 = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 0, 0, 0, 0, 0x01, 0, 0])
        #expect(try decode(tensor(.int64, dims: [2], raw: int64)).values == .ints([-1, (1 << 40) + 3]))
    }

    @Test func aSliceOfALargerBufferIsReadFromItsOwnStart() throws {
        let buffer = Data([0xAA, 0xBB, 0xCC, 0x00, 0x00, 0x80, 0x3F, 0xDD])
        let slice = buffer[3..<7]          // startIndex 3: 1.0
        #expect(try decode(tensor(.float, dims: [1], raw: slice)).values == .floats([1.0]))
    }
}
