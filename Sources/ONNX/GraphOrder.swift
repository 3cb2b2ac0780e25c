/// Orders ONNX nodes so every node comes after the nodes producing its inputs (Kahn's
/// algorithm, stable: ready nodes in file order), or names a node on a cycle.
enum GraphOrder {
    /// The node indices in dependency order. `inputs[i]` and `outputs[i]` are node i's tensor
    /// names; names no node produces (graph inputs, initializers, "" for an absent optional
    /// input) are available from the start.
    static func sorted(names: [String], inputs: [[String]], outputs: [[String]]) throws -> [Int] {
        var producer: [String: Int] = [:]
        for (i, names) in outputs.enumerated() {
            for name in names where !name.isEmpty {
                guard producer[name] == nil else {
                    throw ONNXError.badGraph(reason: "the tensor \"\(name)\" is produced by two nodes; each tensor must have one producer")
                }
                producer[name] = i
            }
        }
        var waiting = [Int](repeating: 0, count: inputs.count)
        var readers = [[Int]](repeating: [], count: inputs.count)
        for (i, names) in inputs.enumerated() {
            for p in Set(names.compactMap({ producer[$0] })) {
                waiting[i] += 1
                readers[p].append(i)
            }
        }
        var ready = (0..<inputs.count).filter { waiting[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        while let next = ready.popLast() {
            order.append(next)
            for r in readers[next].sorted(by: >) {
                waiting[r] -= 1
                if waiting[r] == 0 { ready.append(r) }
            }
            ready.sort(by: >)
        }
        if order.count < inputs.count, var node = (0..<inputs.count).first(where: { waiting[$0] > 0 }) {
            // Walk back through unfinished producers until a node repeats: that node is on a cycle.
            var visited: Set<Int> = []
            while visited.insert(node).inserted {
                node = inputs[node].compactMap({ producer[$0] }).first { waiting[$0] > 0 } ?? node
            }
            throw ONNXError.badGraph(reason: "its nodes form a cycle through the node \"\(names[node])\" (its output \(outputs[node].joined(separator: ", ")) feeds back into its own inputs); an ONNX graph must be acyclic")
        }
        return order
    }
}
