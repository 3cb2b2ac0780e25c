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

    @Test func flattenModelBreaksAtTheDenseLayerOffItsTrainingResolution() {
        let spec = ModelSpec(layers: Self.blocks + [.flatten, .dense(units: 10)])
        let same = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 32)
        #expect(same.layers.allSatisfy { $0.breaks == nil })
        let other = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 48)
        let dense = other.layers.last!
        #expect(dense.outputShape.isEmpty && dense.parameters == 4 * 4 * 64 * 10 + 10)
        #expect(dense.breaks?.contains("trained on 1024 inputs (at 32 px) but gets 2304 at 48 px") == true, "\(dense.breaks ?? "")")
    }

    @Test func mapSmallerThanAWindowBreaksThatLayer() {
        let spec = ModelSpec(layers: Self.blocks + [.globalAvgPool, .dense(units: 10)])
        let table = ArchitectureTable(spec: spec, channels: 3, trainResolution: 32, testResolution: 4)
        let broken = table.layers.firstIndex { $0.breaks != nil }
        #expect(broken == 5, "\(table.layers.map(\.layer))")
        #expect(table.layers[6...].allSatisfy { $0.outputShape.isEmpty && $0.breaks == nil })
    }
}
