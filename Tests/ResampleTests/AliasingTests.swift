import Testing
import ImageIO
@testable import Resample

/// Downsampling a zone plate 8× (256 → 32): almost all of it lies above the output's Nyquist
/// frequency (1/16 cycle per input pixel beyond radius 16), so an ideal resize returns flat grey
/// there and whatever structure remains is aliasing. The aliased energy is the variance of the
/// output outside radius 4 output pixels (input frequencies above 2× the output's Nyquist).
@Suite struct AliasingTests {
    @Test(arguments: [Filter.box, .bilinear, .hamming, .bicubic, .lanczos])
    func antialiasRemovesMostAliasedEnergy(filter: Filter) {
        let plate = zonePlate(size: 256)
        let smooth = aliasedEnergy(resize(plate, width: 32, height: 32, method: ResizeMethod(filter)))
        let aliased = aliasedEnergy(resize(plate, width: 32, height: 32, method: ResizeMethod(filter, antialias: false)))
        print("aliasing \(filter): variance \(aliased) without antialias, \(smooth) with")
        #expect(aliased >= 10 * smooth, "\(filter): aliased energy \(aliased) without antialias, \(smooth) with")
    }

    /// Variance of the 32×32 output's values more than 4 pixels from its centre.
    func aliasedEnergy(_ image: Image) -> Double {
        var values = [Double]()
        for y in 0..<32 {
            for x in 0..<32 where (Double(x) - 15.5) * (Double(x) - 15.5) + (Double(y) - 15.5) * (Double(y) - 15.5) > 16 {
                values.append(Double(image.pixels[y * 32 + x]))
            }
        }
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    }
}
