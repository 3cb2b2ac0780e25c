import NN
import Testing
@testable import Experiment

/// The rounding swap of the zoo's graph models at the sizes docs/experiments.md measures them at.
@Suite struct ZooRoundingSwapTests {
    /// resnet-20 and mobilenetv2-cifar downsample only with 3×3 stride-2 convolutions padded 1
    /// and (resnet-20) 1×1 stride-2 projections. A padded 3×3 at n rows gives ⌊(n − 1)/2⌋ + 1
    /// windows, the last ending at row n − 1 (n even) or on the padding row n (n odd): no row is
    /// dropped. A 1×1 drops row n − 1 at even n, and ceil cannot read it (its extra window would
    /// start at row n). So no node loses anything the other rule would keep, at any size: the
    /// swap is the identity, and the swapped model is the trained one.
    @Test func theZoosGraphModelsHaveNothingToSwap() throws {
        for name in ["resnet-20", "mobilenetv2-cifar"] {
            let graph = try #require(try ModelZoo.classifierGraph(name, classes: 10))
            for size in [16, 20, 24, 28, 31, 33, 40, 48, 64] {
                let swap = try graph.swappingRounding(height: size, width: size, channels: 3)
                #expect(swap.swapped == [] && swap.graph == graph, "\(name) at \(size) px")
            }
        }
    }
}
