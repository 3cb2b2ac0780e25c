/// How the input's aspect ratio meets the output's.
public enum Geometry: Hashable, Sendable {
    /// Resample the whole image to exactly width × height (aspect ratio not kept).
    case squash
    /// timm's evaluation transform with `crop_pct` = `cropFraction` in (0, 1]: resize so that the
    /// shorter side becomes ⌊size / cropFraction⌋ (torchvision `Resize(int)`, the longer side
    /// ⌊short' · long / short⌋), then cut the centred size × size window (offsets rounded half
    /// to even, as Python's `round`). For width ≠ height, timm resizes to exactly
    /// (⌊width / cropFraction⌋, ⌊height / cropFraction⌋) before the crop; so does this.
    case centerCrop(Double)
    /// Keep the aspect ratio: scale the whole image to fit inside width × height (the fitted
    /// size rounded to whole pixels), centre it and fill the borders with black (0).
    case letterbox
}

/// Where one resize reads and writes: the whole input is (conceptually) resampled to
/// `scaledWidth × scaledHeight`; the window of `regionWidth × regionHeight` pixels starting at
/// (`cropX`, `cropY`) of that scaled image is written at (`padX`, `padY`) of the output.
struct ResizePlan: Equatable {
    var scaledWidth: Int
    var scaledHeight: Int
    var cropX = 0
    var cropY = 0
    var regionWidth: Int
    var regionHeight: Int
    var padX = 0
    var padY = 0

    /// The plan for an input of `inWidth × inHeight` and an output of `width × height`.
    init(inWidth: Int, inHeight: Int, width: Int, height: Int, geometry: Geometry) {
        precondition(width > 0 && height > 0, "output size must be positive, got \(width)×\(height)")
        regionWidth = width
        regionHeight = height
        switch geometry {
        case .squash:
            scaledWidth = width
            scaledHeight = height
        case .centerCrop(let fraction):
            precondition(fraction > 0 && fraction <= 1, "crop fraction must be in (0, 1], got \(fraction)")
            if width == height {
                let short = Int((Double(width) / fraction).rounded(.down))
                if inWidth <= inHeight {
                    scaledWidth = short
                    scaledHeight = short * inHeight / inWidth
                } else {
                    scaledHeight = short
                    scaledWidth = short * inWidth / inHeight
                }
            } else {
                scaledWidth = Int((Double(width) / fraction).rounded(.down))
                scaledHeight = Int((Double(height) / fraction).rounded(.down))
            }
            cropX = Int((Double(scaledWidth - width) / 2).rounded(.toNearestOrEven))
            cropY = Int((Double(scaledHeight - height) / 2).rounded(.toNearestOrEven))
        case .letterbox:
            let scale = min(Double(width) / Double(inWidth), Double(height) / Double(inHeight))
            scaledWidth = min(width, max(1, Int((Double(inWidth) * scale).rounded())))
            scaledHeight = min(height, max(1, Int((Double(inHeight) * scale).rounded())))
            regionWidth = scaledWidth
            regionHeight = scaledHeight
            padX = (width - scaledWidth) / 2
            padY = (height - scaledHeight) / 2
        }
    }
}

/// The coefficient tables and index ranges of one resize: which scaled columns and rows the
/// plan's region covers, and which input rows [`firstRow`, `lastRow`) the vertical pass reads.
struct PassLayout {
    let horizontal: AxisWeights
    let vertical: AxisWeights
    let columns: Range<Int>
    let rows: Range<Int>
    let firstRow: Int
    let lastRow: Int

    init(inWidth: Int, inHeight: Int, plan: ResizePlan, method: ResizeMethod, scratch: ResizeScratch) {
        horizontal = scratch.weights(inSize: inWidth, outSize: plan.scaledWidth, method: method)
        vertical = scratch.weights(inSize: inHeight, outSize: plan.scaledHeight, method: method)
        columns = plan.cropX..<(plan.cropX + plan.regionWidth)
        rows = plan.cropY..<(plan.cropY + plan.regionHeight)
        firstRow = Int(vertical.first[rows.lowerBound])
        lastRow = Int(vertical.first[rows.upperBound - 1]) + vertical.taps
    }
}
