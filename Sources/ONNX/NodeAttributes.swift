import Foundation

/// A node's attributes by name, with ONNX's defaults supplied by the caller.
struct NodeAttributes {
    private var byName: [String: Onnx_AttributeProto] = [:]

    init(_ node: Onnx_NodeProto) {
        for attribute in node.attribute { byName[attribute.name] = attribute }
    }

    func has(_ name: String) -> Bool { byName[name] != nil }

    func int(_ name: String, default value: Int) -> Int {
        byName[name].map { Int(clamping: $0.i) } ?? value
    }

    func float(_ name: String, default value: Float) -> Float {
        byName[name]?.f ?? value
    }

    func ints(_ name: String) -> [Int]? {
        byName[name].map { $0.ints.map { Int(clamping: $0) } }
    }

    func string(_ name: String, default value: String) -> String {
        byName[name].map { String(decoding: $0.s, as: UTF8.self) } ?? value
    }

    func tensor(_ name: String) -> Onnx_TensorProto? {
        byName[name].flatMap { $0.hasT ? $0.t : nil }
    }

    func floats(_ name: String) -> [Float]? { byName[name]?.floats }

    /// The attribute names set on the node.
    var names: [String] { byName.keys.sorted() }
}
