import Testing
import ImageIO
@testable import Resample

@Suite struct MontageTests {
    /// Layout: a label column as wide as the longest method name (4 px per character at scale 2,
    /// plus a gap), a label row of 5 · 2 px plus a gap, then cells of the largest size, 4 px apart.
    @Test func sheetHasLabelsAndOneCellPerSizeAndMethod() {
        let methods = [ResizeMethod(.bicubic), ResizeMethod(.bicubic, antialias: false)]
        let sheet = montage(of: zonePlate(size: 64), sizes: [8, 16], methods: methods)
        let labelWidth = "bicubic-noaa".count * 8 + 4
        #expect(sheet.channels == 1)
        #expect(sheet.width == labelWidth + 2 * (16 + 4) + 4 && sheet.height == 14 + 2 * (16 + 4) + 4)
        let labelPixels = (0..<sheet.height).flatMap { y in (0..<labelWidth).map { sheet.pixels[y * sheet.width + $0] } }
        #expect(labelPixels.contains(0), "the method names are drawn in black")
    }
}
