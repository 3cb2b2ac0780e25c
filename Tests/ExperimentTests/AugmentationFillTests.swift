import Testing
@testable import Experiment

/// `random_crop_fill`: the padding of pad-and-crop as torchvision makes it. Expected windows from
/// numpy (`np.pad(x, 1, mode="reflect")` / `mode="constant"`, window at row 1 + dy, column 1 + dx;
/// flipped with `w[:, ::-1]`, torchvision's order: crop, then flip) for x[y][x] = 10·y + x, r = 4.
struct AugmentationFillTests {
    /// A (4, 4, 3) tensor whose channel c holds 10·y + x + 100·c.
    func input() -> [Float] {
        var values: [Float] = []
        for y in 0..<4 {
            for x in 0..<4 {
                for c in 0..<3 { values.append(Float(10 * y + x + 100 * c)) }
            }
        }
        return values
    }

    /// Channel `c` of `tensor` as rows.
    func channel(_ tensor: [Float], _ c: Int) -> [[Float]] {
        (0..<4).map { y in (0..<4).map { x in tensor[(y * 4 + x) * 3 + c] } }
    }

    let mean: [Float] = [0.5, 0.25, 0.1], std: [Float] = [0.25, 0.5, 1]

    @Test func reflectMirrorsAboutTheEdgePixel() {
        var tensor = input()
        shift(&tensor, offset: 0, resolution: 4, dx: -1, dy: 1, mirror: false, fill: .reflect, mean: mean, std: std)
        #expect(channel(tensor, 0) == [[11, 10, 11, 12], [21, 20, 21, 22], [31, 30, 31, 32], [21, 20, 21, 22]])
        #expect(channel(tensor, 2) == [[211, 210, 211, 212], [221, 220, 221, 222], [231, 230, 231, 232], [221, 220, 221, 222]])
        var flipped = input()
        shift(&flipped, offset: 0, resolution: 4, dx: -1, dy: 1, mirror: true, fill: .reflect, mean: mean, std: std)
        #expect(channel(flipped, 0) == [[12, 11, 10, 11], [22, 21, 20, 21], [32, 31, 30, 31], [22, 21, 20, 21]])
    }

    /// Black is pixel value 0 before normalisation: (0 − mean) / std per channel; mean is 0.
    @Test func blackAndMeanFillTheConstant() {
        for (fill, constant) in [(PadFill.black, [-2, -0.5, -0.1] as [Float]), (.mean, [0, 0, 0])] {
            var tensor = input()
            shift(&tensor, offset: 0, resolution: 4, dx: -1, dy: 1, mirror: false, fill: fill, mean: mean, std: std)
            for c in 0..<3 {
                let k = constant[c], b = Float(100 * c)
                let rows: [[Float]] = [[k, 10 + b, 11 + b, 12 + b], [k, 20 + b, 21 + b, 22 + b], [k, 30 + b, 31 + b, 32 + b], [k, k, k, k]]
                #expect(channel(tensor, c) == rows)
            }
        }
    }

    @Test func blackIsTheDefaultAndTheFileCanChoose() throws {
        let base = "dataset: {generated: {}}\nmodels: [{zoo: gap-cnn}]\n"
        #expect(try parseExperiment(yaml: base, file: "e.yaml").training.augmentation.randomCropFill == .black)
        let chosen = try parseExperiment(yaml: base + "training: {augmentation: {random_crop: 4, random_crop_fill: reflect}}\n", file: "e.yaml")
        #expect(chosen.training.augmentation.randomCropFill == .reflect)
        #expect(throws: ExperimentError.self) {
            try parseExperiment(yaml: base + "training: {augmentation: {random_crop_fill: grey}}\n", file: "e.yaml")
        }
    }
}
