import Kernels
import SeededRandom
import Testing
@testable import NN

/// Evaluation folds a batch norm into the convolution it alone reads (`EvaluationWeights`):
/// where the schedule folds, and that the folded logits match a Double reference that applies
/// the batch norm after the convolution, unfolded.
@Suite struct BatchNormFoldTests {
    private func schedule(_ text: String, training: Bool) throws -> ExecutionSchedule {
        let net = try Network(spec: try ModelSpec(parsing: text), inputChannels: 3, classes: 4, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let plan = try net.modelPlan(height: 8, width: 8)
        return ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 2, training: training)
    }

    @Test func foldsOnlyABatchNormThatAloneReadsAConvolutionInEvaluation() throws {
        // Nodes: 0 conv, 1 bn, 2 relu, 3 maxpool, 4 bn, 5 gap, 6 dense.
        let folded = try schedule("conv 3x3 8, bn, relu, maxpool 2, bn, gap", training: false)
        #expect(folded.foldedBatchNorm == [false, true, false, false, false, false, false])
        #expect(folded.skipsForward[1] && folded.skipsForward[2], "the batch norm and its ReLU do not run")
        #expect(folded.storeClamps[0] == .relu, "the ReLU goes to the convolution")
        #expect(folded.outputOffsets[0] == folded.outputOffsets[1], "the convolution writes the batch norm's output")
        let training = try schedule("conv 3x3 8, bn, relu, maxpool 2, bn, gap", training: true)
        #expect(!training.foldedBatchNorm.contains(true))
    }

    /// A clip (ReLU6) after a folded batch norm goes to the convolution's store in evaluation; in
    /// training it runs by itself (its backward reads its input, which a fused store overwrites).
    @Test func foldsAClipIntoTheConvolutionOnlyInEvaluation() throws {
        // Nodes: 0 conv, 1 bn, 2 clip, 3 gap, 4 dense.
        let evaluation = try schedule("conv 3x3 8, bn, relu6, gap", training: false)
        #expect(evaluation.storeClamps[0] == StoreClamp(lower: 0, upper: 6))
        #expect(evaluation.skipsForward[1] && evaluation.skipsForward[2], "the batch norm and its clip do not run")
        #expect(evaluation.outputOffsets[2] == evaluation.outputOffsets[0], "the clip's output is the convolution's")
        let training = try schedule("conv 3x3 8, bn, relu6, gap", training: true)
        #expect(training.storeClamps.allSatisfy(\.isNone) && !training.skipsForward[2], "in training the clip runs")
        #expect(training.outputOffsets[2] != training.outputOffsets[1], "and not in place: its backward reads x")
    }

    @Test func aConvolutionReadByTwoNodesKeepsItsBatchNorm() throws {
        let graph = try GraphSpec(nodes: [
            .init(name: "c", layer: try LayerSpec(parsing: "conv 3x3 8"), inputs: ["input"]),
            .init(name: "b", layer: .batchNorm, inputs: ["c"]),
            .init(name: "s", layer: .add, inputs: ["b", "c"]),
            .init(name: "g", layer: .globalAvgPool, inputs: ["s"]),
            .init(name: "logits", layer: .dense(units: 4), inputs: ["g"]),
        ])
        let net = try Network(graph: graph, inputChannels: 3, classes: 4, trainingHeight: 8, trainingWidth: 8, seed: 1)
        let plan = try net.modelPlan(height: 8, width: 8)
        let schedule = ExecutionSchedule(plan: plan, hasParameters: net.hasParameters, capacity: 2, training: false)
        #expect(!schedule.foldedBatchNorm.contains(true))
    }

    /// conv 3×3 (8 filters, same padding) → bn with running statistics far from (0, 1) → relu (or
    /// a clip to [−0.5, 0.5], which most outputs pass one bound of) → gap → dense: `predict`
    /// (folded, the activation in the convolution's store) against the same layers in Double, the
    /// batch norm applied to the convolution's output as written (y = γ (x − μ)/√(σ² + ε) + β).
    /// Tolerance: 1e-5 of the largest logit (Float sums of 27 terms, scaled once).
    @Test(arguments: [("relu", 0.0, Double.infinity), ("clip -0.5 0.5", -0.5, 0.5)])
    func foldedLogitsMatchTheUnfoldedLayersInDouble(_ activation: String, _ lower: Double, _ upper: Double) throws {
        let (h, w, c, f, classes, batch) = (6, 7, 3, 8, 4, 5)
        let net = try Network(spec: try ModelSpec(parsing: "conv 3x3 8, bn, \(activation), gap"), inputChannels: c, classes: classes,
                              trainingHeight: h, trainingWidth: w, seed: 2)
        let evaluation = ExecutionSchedule(plan: try net.modelPlan(height: h, width: w), hasParameters: net.hasParameters,
                                           capacity: batch, training: false)
        #expect(evaluation.foldedBatchNorm[1] && evaluation.storeClamps[0] == StoreClamp(lower: Float(lower), upper: Float(upper)),
                "predict must take the folded, fused path for this check to mean anything")
        var generator = SplitMix64(seed: 21)
        let values = net.arena.values
        let conv = net.parameterOffsets[0], convBias = conv + net.biasOffsets[0], bn = net.parameterOffsets[1]
        let dense = net.parameterOffsets[4], denseBias = dense + net.biasOffsets[4]
        for k in 0..<f {
            values[bn + k] = 0.5 + generator.uniform()                 // γ
            values[bn + f + k] = generator.uniform() - 0.5             // β
            values[bn + 2 * f + k] = 2 * generator.uniform() - 1      // running mean
            values[bn + 3 * f + k] = 0.2 + 3 * generator.uniform()    // running variance
            values[convBias + k] = generator.uniform() - 0.5
        }
        let images = try Tensor(shape: [batch, h, w, c], values: (0..<batch * h * w * c).map { _ in 2 * generator.uniform() - 1 })
        let logits = try net.predict(images).values

        var expected: [Double] = []
        for n in 0..<batch {
            var pooled = [Double](repeating: 0, count: f)
            for y in 0..<h {
                for x in 0..<w {
                    for k in 0..<f {
                        var sum = Double(values[convBias + k])
                        for i in 0..<3 {
                            for j in 0..<3 {
                                let (iy, ix) = (y + i - 1, x + j - 1)
                                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                for ch in 0..<c {
                                    sum += Double(images.values[((n * h + iy) * w + ix) * c + ch])
                                        * Double(values[conv + ((i * 3 + j) * c + ch) * f + k])
                                }
                            }
                        }
                        let normalised = Double(values[bn + k]) * (sum - Double(values[bn + 2 * f + k]))
                            / (Double(values[bn + 3 * f + k]) + Double(BatchNorm.epsilon)).squareRoot() + Double(values[bn + f + k])
                        pooled[k] += min(max(normalised, lower), upper) / Double(h * w)
                    }
                }
            }
            for u in 0..<classes {
                expected.append(Double(values[denseBias + u]) + (0..<f).reduce(0.0) { $0 + pooled[$1] * Double(values[dense + $1 * classes + u]) })
            }
        }
        let largest = expected.map(abs).max()!
        let error = zip(logits, expected).map { abs(Double($0) - $1) }.max()!
        #expect(error <= 1e-5 * largest, "largest error \(error) for logits up to \(largest)")
    }
}
