import ImageIO

/// Resizes an 8-bit image into a float32 network input: `tensor` receives (height, width, C)
/// values, row-major HWC, C = `channels` (3, or 1 for a grayscale image), x = (v / 255 −
/// mean[c]) / std[c] with v the resampled value in 0...255, unrounded and unclipped (negative
/// lobes may overshoot). A grayscale image fills all three channels of an RGB input with the
/// same value; a 1-channel input takes mean[0] and std[0]. Letterbox borders hold v = 0.
///
/// Same weights as `resize(_:width:height:method:geometry:scratch:)`, horizontal pass first;
/// nothing is allocated once `scratch` has seen these sizes.
public func resize(_ image: Image, into tensor: UnsafeMutablePointer<Float>, width: Int, height: Int,
                   method: ResizeMethod, geometry: Geometry = .squash,
                   normalization: Normalization = .unit, channels: Int = 3, scratch: ResizeScratch) {
    precondition(channels == 3 || (channels == 1 && image.channels == 1),
                 "a \(channels)-channel input takes an RGB or grayscale image (3) or a grayscale image (1), not \(image.channels) channels")
    let plan = ResizePlan(inWidth: image.width, inHeight: image.height, width: width, height: height, geometry: geometry)
    let source = image.channels
    let region = resampleToFloat(image, plan: plan, method: method, scratch: scratch)
    let scale = normalization.scale, offset = normalization.offset
    if plan.regionWidth != width || plan.regionHeight != height {
        for p in 0..<(width * height) {
            for c in 0..<channels { tensor[channels * p + c] = offset[c] }
        }
    }
    for y in 0..<plan.regionHeight {
        let srcRow = region + y * plan.regionWidth * source
        let dstRow = tensor + ((plan.padY + y) * width + plan.padX) * channels
        for x in 0..<plan.regionWidth {
            for c in 0..<channels {
                dstRow[channels * x + c] = srcRow[x * source + (source == 3 ? c : 0)] * scale[c] + offset[c]
            }
        }
    }
}

/// The plan's region resampled in float32, horizontal pass first: (regionHeight, regionWidth, C)
/// values in 0...255 (unclipped), in `scratch`'s float buffer.
func resampleToFloat(_ image: Image, plan: ResizePlan, method: ResizeMethod, scratch: ResizeScratch) -> UnsafeMutablePointer<Float> {
    let channels = image.channels
    let layout = PassLayout(inWidth: image.width, inHeight: image.height, plan: plan, method: method, scratch: scratch)
    let (horizontal, vertical, columns, rows) = (layout.horizontal, layout.vertical, layout.columns, layout.rows)
    let (firstRow, lastRow) = (layout.firstRow, layout.lastRow)
    let rowLength = plan.regionWidth * channels
    let srcStride = image.width * channels

    // (regionHeight, regionWidth, C) output, then (lastRow − firstRow, regionWidth, C) after the horizontal pass.
    let outCount = plan.regionHeight * rowLength
    let out = scratch.floats(outCount + (lastRow - firstRow) * rowLength + 1)
    let mid = out + outCount
    image.pixels.withUnsafeBufferPointer { srcBuffer in
        forRowsWithSlack(srcBuffer.baseAddress!, stride: srcStride, rows: firstRow..<lastRow, totalRows: image.height, scratch: scratch) {
            resampleRows($0, srcStride: srcStride, rows: $1, channels: channels,
                         horizontal, outputs: columns, into: mid + $2 * rowLength, dstStride: rowLength)
        }
    }
    resampleColumns(mid, srcStride: rowLength, rowOffset: firstRow, length: rowLength,
                    vertical, outputs: rows, into: out, dstStride: rowLength)
    return out
}
