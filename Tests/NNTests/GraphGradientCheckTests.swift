import Testing
@testable import NN

/// A graph from lines "name: layer <- input, input".
func graph(_ lines: [String]) throws -> GraphSpec {
    try GraphSpec(nodes: lines.map { line in
        let head = line.split(separator: ":", maxSplits: 1)
        let body = head[1].components(separatedBy: "<-")
        return GraphSpec.Node(name: String(head[0]).trimmingCharacters(in: .whitespaces),
                              layer: try LayerSpec(parsing: body[0].trimmingCharacters(in: .whitespaces)),
                              inputs: body[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    })
}

/// Finite-difference checks (tolerance and kink rule of `GradientCheckTests`) of graphs whose
/// tensors fan out, so a gradient is the sum over several paths: a residual block, a projection
/// shortcut after batch norm, a concat of three branches, a squeeze-and-excitation gate, a
/// broadcast add, and a tensor read twice by one node and by three nodes in all.
@Suite struct GraphGradientCheckTests {
    static let cases: [(name: String, lines: [String], size: Int)] = [
        ("residual block", ["stem: conv 3x3 4 <- input", "a: conv 3x3 4 <- stem", "ar: relu <- a", "b: conv 3x3 4 <- ar",
                            "sum: add <- b, stem", "r: relu <- sum", "pool: gap <- r", "fc: dense 4 <- pool"], 5),
        ("projection shortcut", ["stem: conv 3x3 4 <- input", "bn: bn <- stem", "r: relu <- bn", "path: conv 3x3 6 stride 2 <- r",
                                 "proj: conv 1x1 6 stride 2 <- r", "sum: add <- path, proj", "pool: gap <- sum",
                                 "fc: dense 4 <- pool"], 6),
        ("concat", ["stem: conv 3x3 3 <- input", "left: conv 1x1 2 <- stem", "right: maxpool 3 stride 1 pad 1 <- stem",
                    "cat: concat <- left, right, stem", "flat: flatten <- cat", "fc: dense 4 <- flat"], 4),
        ("squeeze-excitation", ["stem: conv 3x3 4 <- input", "sq: gap <- stem", "fc1: dense 2 <- sq", "h: relu <- fc1",
                                "fc2: dense 4 <- h", "gate: sigmoid <- fc2", "se: mul <- stem, gate", "flat: flatten <- se",
                                "fc: dense 4 <- flat"], 4),
        ("broadcast add of three", ["stem: conv 3x3 4 <- input", "g: gap <- stem", "d: conv 3x3 4 <- stem",
                                    "sum: add <- stem, g, d", "flat: flatten <- sum", "fc: dense 4 <- flat"], 4),
        ("read twice", ["stem: conv 3x3 4 <- input", "twice: add <- stem, stem", "m: mul <- stem, twice",
                        "cat: concat <- m, stem", "pool: gap <- cat", "fc: dense 4 <- pool"], 4),
        ("depthwise separable", ["stem: conv 3x3 4 <- input", "dw: conv 3x3 4 groups 4 <- stem", "r6: relu6 <- dw",
                                 "pw: conv 1x1 4 <- r6", "sum: add <- pw, stem", "pool: gap <- sum", "fc: dense 4 <- pool"], 5),
    ]

    @Test(arguments: cases)
    func graphGradients(_ name: String, lines: [String], size: Int) throws {
        let net = try Network(graph: graph(lines), inputChannels: 2, classes: 4, trainingHeight: size, trainingWidth: size, seed: 11)
        try checkGradients(net, size: size, label: name)
    }
}
