import Testing
@testable import NN

@Suite struct ArchitectureMathTests {
    /// The reference CNN at 32×32, computed by hand:
    /// receptive field r_l = r_{l−1} + (k − 1)·j_{l−1}, jump j_l = j_{l−1}·s, centre u_l = u_{l−1} + ((k − 1)/2 − p)·j_{l−1}.
    @Test func referenceCNNTable() throws {
        let math = try ModelSpec.referenceCNN().architecture(height: 32, width: 32, channels: 3)
        #expect(math.layers.map(\.output.description) == ["32×32×32", "32×32×32", "16×16×32", "16×16×64", "16×16×64", "8×8×64",
                                                          "8×8×128", "8×8×128", "4×4×128", "1×1×128", "1×1×10"])
        #expect(math.layers.map(\.rows.receptiveField) == [3, 3, 4, 8, 8, 10, 18, 18, 22, 46, 46])
        #expect(math.layers.map(\.rows.jump) == [1, 1, 2, 2, 2, 4, 4, 4, 8, 8, 8])
        #expect(math.layers.map(\.rows.center) == [0, 0, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 3.5, 15.5, 15.5])
        #expect(math.layers.map(\.parameters) == [896, 0, 0, 18_496, 0, 0, 73_856, 0, 0, 0, 1_290])
        #expect(math.parameters == 94_538)
        #expect(math.layers.map(\.flops) == [1_769_472, 0, 0, 9_437_184, 0, 0, 9_437_184, 0, 0, 4_096, 2_560])
        #expect(math.layers[0].activationBytes == 32 * 32 * 32 * 4)
        // Training: 3× forward for conv/dense, 2× for the rest, minus the first layer's input gradient.
        #expect(math.trainingFlops == 3 * math.flops - 1_769_472 - 4_096)
    }

    /// Araujo et al. (Distill 2019), eq. for a chain of L layers:
    ///     r₀ = Σ_l (k_l − 1) Π_{i<l} s_i + 1,    u₀ = Σ_l ((k_l − 1)/2 − p_l) Π_{i<l} s_i
    @Test func closedFormsOnAStridedDilatedChain() throws {
        let spec = try ModelSpec(parsing: "conv 7x7 8 stride 2 pad 3, maxpool 3 stride 2 pad 1, conv 3x3 8 dilation 2 pad 2, conv 3x3 8 stride 2 pad valid, blurpool 2")
        let math = try spec.architecture(height: 64, width: 64, channels: 3)
        let layers: [(k: Int, s: Int, p: Int)] = [(7, 2, 3), (3, 2, 1), (5, 1, 2), (3, 2, 0), (4, 2, 1)]
        var product = 1, r = 1, u = 0.0
        for layer in layers {
            r += (layer.k - 1) * product
            u += (Double(layer.k - 1) / 2 - Double(layer.p)) * Double(product)
            product *= layer.s
        }
        #expect(math.layers.last!.rows.receptiveField == r)
        #expect(math.layers.last!.rows.center == u)
        #expect(math.layers.last!.rows.jump == product)
    }
}
