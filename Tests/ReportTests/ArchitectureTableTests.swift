import NN
import Testing
@testable import Report

/// Tables built from NN's architecture math: shapes, receptive fields and where a model breaks.
@Suite struct ArchitectureTableTests {
    static let conv = { (filters: Int) in LayerSpec.conv(ConvSpec(kernelHeight: 3, kernelWidth: 3, filters: filters)) }
    static let blocks: [LayerSpec] = [16, 32, 64].flatMap { [conv($0), .relu, .maxPool(PoolSpec(kernel: 2))] }

    @Test func globalPoolingModelRunsAtEveryResolution() {
        let spec = ModelSpec(layers: Self.blocks + [.globalAvgPool, .dense(units: 10)])
        let table = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 20)
        #expect(table.layers.map(\.layer) == ["#1 conv 3x3 16", "#3 maxpool 2", "#4 conv 3x3 32", "#6 maxpool 2", "#7 conv 3x3 64", "#9 maxpool 2", "#10 gap", "#11 dense 10"])
        #expect(table.layers.map(\.outputShape) == [[20, 20, 16], [10, 10, 16], [10, 10, 32], [5, 5, 32], [5, 5, 64], [2, 2, 64], [64], [10]])
        #expect(table.layers.map(\.receptiveField).prefix(6) == [3, 4, 8, 10, 18, 22])
        #expect(table.layers[5].totalStride == 8 && table.layers[5].rowsLost == 1 && table.layers[5].columnsLost == 1)
        #expect(table.layers.allSatisfy { $0.breaks == nil })
        #expect(table.layers[7].parameters == 64 * 10 + 10)
    }

    /// A 1×1 stride-2 projection at an even size leaves the last row unread under either rule:
    /// no row lost to rounding, so the findings do not say "flooring drops 1 row" for it (an
    /// imported ResNet-18's findings said "flooring drops 3 rows" at 96 px, where explain saw
    /// no rounding loss). A 2×2 pool of an odd map still loses its last row.
    @Test func onlyRowsTheOtherRuleWouldReadCountAsLost() throws {
        let shortcut = try ModelSpec(parsing: "conv 3x3 8, conv 1x1 16 stride 2 pad 0, maxpool 2, gap, dense 10")
        let even = ArchitectureTable(spec: shortcut, channels: 3, trainResolution: 20, testResolution: 20)
        #expect(even.layers[1].outputShape == [10, 10, 16] && even.layers[1].rules.first { $0.used }?.rows.dropped == 1)
        #expect(even.layers.allSatisfy { $0.rowsLost == 0 && $0.columnsLost == 0 })
        let odd = ArchitectureTable(spec: shortcut, channels: 3, trainResolution: 20, testResolution: 22)
        #expect(odd.layers.map(\.rowsLost) == [0, 0, 1, 0, 0])
    }

    @Test func flattenModelBreaksAtTheDenseLayerOffItsTrainingResolution() {
        let spec = ModelSpec(layers: Self.blocks + [.flatten, .dense(units: 10)])
        let same = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 32)
        #expect(same.layers.allSatisfy { $0.breaks == nil })
        let other = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 48)
        let dense = other.layers.last!
        #expect(dense.outputShape.isEmpty && dense.parameters == 4 * 4 * 64 * 10 + 10)
        #expect(dense.breaks?.contains("dense expects 1024 inputs (4×4×64 at 32×32) but got 2304 (6×6×64 at 48×48): flatten ties") == true, "\(dense.breaks ?? "")")
    }

    @Test func mapSmallerThanAWindowBreaksThatLayer() {
        let spec = ModelSpec(layers: Self.blocks + [.globalAvgPool, .dense(units: 10)])
        let table = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 4)
        let broken = table.layers.firstIndex { $0.breaks != nil }
        #expect(broken == 5, "\(table.layers.map(\.layer))")
        #expect(table.layers[6...].allSatisfy { $0.outputShape.isEmpty && $0.breaks == nil })
    }

    /// Two 2×2 pools at 30 px: the first halves 30 exactly; the second gets 15, where floor drops
    /// the last row and column (→ 7) and ceil pads one (→ 8). The model's own rule is marked, and
    /// under ceil the next layer sees the 8×8 map.
    @Test func downsamplingLayersShowWhatFloorAndCeilDo() throws {
        let spec = ModelSpec(layers: [.maxPool(PoolSpec(kernel: 2)), .maxPool(PoolSpec(kernel: 2)), .conv(ConvSpec(kernelHeight: 3, kernelWidth: 3, filters: 4, stride: 2))])
        let floor = ArchitectureTable(spec: spec, channels: 3, trainResolution: 30, testResolution: 30)
        #expect(floor.layers[0].rules.map { ruleText($0) } == ["floor 30→15, exact", "ceil 30→15, exact"])
        #expect(floor.layers[1].rules.map { ruleText($0) } == ["floor 15→7, drops 1 row+1 col", "ceil 15→8, pads 1 row+1 col"])
        #expect(floor.layers[1].rules.map(\.used) == [true, false])
        #expect(floor.layers[2].rules.map { ruleText($0) } == ["same 7→4, pads 1 row+1 col"])
        let ceil = ArchitectureTable(spec: spec.withRounding(.ceil), channels: 3, trainResolution: 30, testResolution: 30)
        #expect(ceil.layers[1].rules.map(\.used) == [false, true] && ceil.layers[1].outputShape == [8, 8, 3])
        #expect(ceil.layers[2].rules.map { ruleText($0) } == ["same 8→4, pads 1 row+1 col"])
    }

    @Test func ruleTextNamesUnequalAxesAndBlurPool() {
        let axis = { (input: Int, output: Int, dropped: Int, padded: Int) in RuleOutcome.Axis(input: input, output: output, dropped: dropped, padded: padded) }
        #expect(ruleText(RuleOutcome(rule: .floor, used: true, rows: axis(15, 7, 1, 0), columns: axis(17, 8, 1, 0))) == "floor 15×17→7×8, drops 1 row+1 col")
        #expect(ruleText(RuleOutcome(rule: .ceil, used: false, rows: axis(15, 8, 0, 1), columns: axis(16, 8, 0, 0))) == "ceil 15×16→8, pads 1 row")
        #expect(ruleText(RuleOutcome(rule: .blur, used: true, rows: axis(15, 8, 0, 2), columns: axis(15, 8, 0, 2))) == "blur ⌈n/s⌉ 15→8, reflect-pads 2 rows+2 cols")
    }

    /// The page marks the used rule in bold and the other plainly, in the layer's cell.
    @Test func architectureSectionShowsBothRulesAndMarksTheUsedOne() throws {
        let spec = ModelSpec(layers: Self.blocks + [.globalAvgPool, .dense(units: 10)])
        let table = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 20)
        let row = try #require(table.layers.first { $0.layer == "#9 maxpool 2" })
        #expect(row.rules.map { ruleText($0) } == ["floor 5→2, drops 1 row+1 col", "ceil 5→3, pads 1 row+1 col"])
        var data = try SimulatedRun(images: 20, models: ["gap-cnn"], resolutions: [20], seeds: [1], examplesPerCell: 0).data()
        data.models[0].architectures = [table]
        let html = renderReport(data)
        #expect(html.contains(#"<span class="rule used"><b>floor 5→2, drops 1 row+1 col</b></span><span class="rule">ceil 5→3, pads 1 row+1 col</span>"#))
        // Where the two agree (10 → 5 at the second pool) one line says so.
        #expect(html.contains(#"5×5×32<span class="rule">floor = ceil 10→5, exact</span></td>"#))
    }
}
