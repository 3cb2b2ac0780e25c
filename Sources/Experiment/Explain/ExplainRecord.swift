import NN

/// `reslab explain --format json`: one model, every node at every asked size, straight from the
/// model plans.
struct ExplainRecord: Encodable {
    struct Axis: Encodable {
        var size: Int, stride: Int, effectivePadding: Int, center: Double
        init(_ field: AxisField) {
            size = field.size
            stride = field.jump
            effectivePadding = field.effectivePadding
            center = field.center
        }
    }
    struct Rule: Encodable {
        var rule: String, used: Bool
        var rows: [Int], columns: [Int]   // input, output, dropped, padded
    }
    /// One node at one size; nil fields where the node is not reached.
    struct AtSize: Encodable {
        var resolution: Int
        var output: [Int]?
        var receptiveField: [String: Axis]?
        var mixedJumps: Bool?
        var flops: Int?
        var rounding: [Rule]?
        var failure: String?
    }
    struct Node: Encodable {
        var name: String, layer: String, inputs: [String]
        var parameters: Int
        var sizes: [AtSize]
    }
    var name: String
    var assumptions: [String]
    var trainResolution: Int
    var channels: Int
    var classes: Int
    var parameters: Int
    var resolutions: [Int]
    var noRoundingLoss: [Int]
    /// An imported model's resolution pins; absent for models reslab builds.
    var pins: [String]?
    var cannotRun: [String: String]
    var nodes: [Node]

    init(_ model: ModelExplanation) {
        name = model.name
        assumptions = model.assumptions
        trainResolution = model.trained.input.height
        channels = model.trained.input.channels
        classes = model.classes
        parameters = model.trained.parameters
        resolutions = model.plans.map(\.input.height)
        noRoundingLoss = model.sizesWithoutRoundingLoss
        pins = model.pins.isEmpty ? nil : model.pins
        cannotRun = Dictionary(uniqueKeysWithValues: model.plans.compactMap { plan in plan.failure.map { (String(plan.input.height), $0.sentence) } })
        let graph = model.trained.graph
        nodes = graph.nodes.enumerated().map { i, node in
            Node(name: node.name, layer: node.layer.description, inputs: node.inputs,
                 parameters: model.trained.nodes.indices.contains(i) ? model.trained.nodes[i].parameters : 0,
                 sizes: model.plans.map { plan in
                     guard i < plan.nodes.count else {
                         return AtSize(resolution: plan.input.height, failure: plan.failure?.node == i ? plan.failure?.sentence : nil)
                     }
                     let placed = plan.nodes[i]
                     let rules = placed.rounding.map { whatIf in
                         whatIf.outcomes.map { o in
                             Rule(rule: o.rule.rawValue, used: o.rule == whatIf.used,
                                  rows: [o.rows.input, o.rows.output, o.rows.dropped, o.rows.padAfter],
                                  columns: [o.columns.input, o.columns.output, o.columns.dropped, o.columns.padAfter])
                         }
                     }
                     return AtSize(resolution: plan.input.height,
                                   output: [placed.output.height, placed.output.width, placed.output.channels],
                                   receptiveField: ["rows": Axis(placed.field.rows), "columns": Axis(placed.field.columns)],
                                   mixedJumps: placed.field.mixedJumps, flops: placed.flops, rounding: rules)
                 })
        }
    }
}
