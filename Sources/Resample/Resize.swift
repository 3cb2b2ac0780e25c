import ImageIO

/// Resizes an 8-bit image to `width × height`; the output keeps the input's channel count.
///
/// With antialias: Pillow's two-pass fixed-point arithmetic, horizontal pass first (over the
/// input rows the vertical pass needs), rounded to 8 bits, then the vertical pass; a pass whose
/// axis keeps its size is skipped. The result equals Pillow's `Image.resize((width, height),
/// filter)`. Without antialias: as OpenCV, both passes in float32 and one rounding at the end
/// (half up, clipped to 0...255), so that negative lobes are not clipped between the passes.
/// docs/resampling.md lists the measured agreement.
///
/// `scratch` carries the coefficient tables and intermediate rows; pass the same one (per
/// thread) when resizing many images.
public func resize(_ image: Image, width: Int, height: Int, method: ResizeMethod,
                   geometry: Geometry = .squash, scratch: ResizeScratch = ResizeScratch()) -> Image {
    let plan = ResizePlan(inWidth: image.width, inHeight: image.height, width: width, height: height, geometry: geometry)
    let channels = image.channels
    if !method.antialias {
        return resizeRoundingOnce(image, plan: plan, width: width, height: height, method: method, scratch: scratch)
    }
    let layout = PassLayout(inWidth: image.width, inHeight: image.height, plan: plan, method: method, scratch: scratch)
    let (horizontal, vertical, columns, rows) = (layout.horizontal, layout.vertical, layout.columns, layout.rows)
    let (firstRow, lastRow) = (layout.firstRow, layout.lastRow)
    let rowLength = plan.regionWidth * channels
    let srcStride = image.width * channels, dstStride = width * channels

    var pixels = [UInt8](repeating: 0, count: width * height * channels)
    image.pixels.withUnsafeBufferPointer { srcBuffer in
        pixels.withUnsafeMutableBufferPointer { dstBuffer in
            let src = srcBuffer.baseAddress!
            let dst = dstBuffer.baseAddress! + (plan.padY * width + plan.padX) * channels
            // (mid rows from midRowOffset on, stride midStride): the horizontally resampled rows.
            var mid = src + plan.cropX * channels, midStride = srcStride, midRowOffset = 0
            if !horizontal.isIdentity {
                let buffer = scratch.bytes((lastRow - firstRow) * rowLength + 1)
                forRowsWithSlack(src, stride: srcStride, rows: firstRow..<lastRow, totalRows: image.height, scratch: scratch) {
                    resampleRows($0, srcStride: srcStride, rows: $1, channels: channels,
                                 horizontal, outputs: columns, into: buffer + $2 * rowLength, dstStride: rowLength)
                }
                (mid, midStride, midRowOffset) = (UnsafePointer(buffer), rowLength, firstRow)
            }
            if vertical.isIdentity {
                for (o, r) in rows.enumerated() {
                    (dst + o * dstStride).update(from: mid + (r - midRowOffset) * midStride, count: rowLength)
                }
            } else {
                resampleColumns(mid, srcStride: midStride, rowOffset: midRowOffset, length: rowLength,
                                vertical, outputs: rows, into: dst, dstStride: dstStride)
            }
        }
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
}

/// The no-antialias 8-bit resize: the float passes, then out = ⌊v + ½⌋ clipped to 0...255.
private func resizeRoundingOnce(_ image: Image, plan: ResizePlan, width: Int, height: Int,
                                method: ResizeMethod, scratch: ResizeScratch) -> Image {
    let channels = image.channels, rowLength = plan.regionWidth * channels
    var pixels = [UInt8](repeating: 0, count: width * height * channels)
    let region = resampleToFloat(image, plan: plan, method: method, scratch: scratch)
    pixels.withUnsafeMutableBufferPointer { dstBuffer in
        for y in 0..<plan.regionHeight {
            let dst = dstBuffer.baseAddress! + ((plan.padY + y) * width + plan.padX) * channels
            for x in 0..<rowLength {
                dst[x] = UInt8(min(max(region[y * rowLength + x] + 0.5, 0), 255))
            }
        }
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
}
