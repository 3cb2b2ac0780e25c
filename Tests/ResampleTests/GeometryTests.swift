import Testing
import ImageIO
@testable import Resample

@Suite struct GeometryTests {
    /// timm's eval transform for a 500×375 image, size 224, crop_pct 0.875: Resize(256) gives
    /// 341×256, CenterCrop(224) starts at round(58.5) = 58 (half to even) and 16.
    @Test func centerCropFollowsTimm() {
        let plan = ResizePlan(inWidth: 500, inHeight: 375, width: 224, height: 224, geometry: .centerCrop(0.875))
        #expect([plan.scaledWidth, plan.scaledHeight, plan.cropX, plan.cropY, plan.regionWidth, plan.regionHeight] == [341, 256, 58, 16, 224, 224])
        let portrait = ResizePlan(inWidth: 375, inHeight: 500, width: 224, height: 224, geometry: .centerCrop(0.875))
        #expect([portrait.scaledWidth, portrait.scaledHeight, portrait.cropX, portrait.cropY] == [256, 341, 16, 58])
    }

    /// Resampling only the crop window gives the same pixels as resizing everything and cropping.
    @Test(arguments: [ResizeMethod(.bicubic), ResizeMethod(.lanczos), ResizeMethod(.bilinear, antialias: false)])
    func centerCropEqualsResizeThenCrop(method: ResizeMethod) throws {
        let image = try readImage(atPath: TestImages.flower)  // 96×72
        let cropped = resize(image, width: 24, height: 24, method: method, geometry: .centerCrop(0.8))
        // Shorter side 72 → ⌊24 / 0.8⌋ = 30, longer 30 · 96 / 72 = 40; offsets 8 and 3.
        let full = resize(image, width: 40, height: 30, method: method)
        var expected = [UInt8]()
        for y in 3..<27 { expected += full.pixels[((y * 40 + 8) * 3)..<((y * 40 + 32) * 3)] }
        #expect(cropped.pixels == expected)
    }

    @Test func letterboxCentresTheImageOnBlack() throws {
        let image = Image(width: 200, height: 100, channels: 1, pixels: [UInt8](repeating: 200, count: 20_000))
        let boxed = resize(image, width: 64, height: 64, method: ResizeMethod(.bilinear), geometry: .letterbox)
        for y in 0..<64 {
            let row = boxed.pixels[(y * 64)..<((y + 1) * 64)]
            #expect(row.allSatisfy { $0 == ((16..<48).contains(y) ? 200 : 0) }, "row \(y)")
        }
    }
}
