import ImageIO

/// A labelled comparison sheet: one row per method (its name on the left, e.g. `BICUBIC-NOAA`),
/// one column per size (`16 PX` on top). Each cell shows the image resized to size × size
/// (centre crop, crop fraction 1: the largest centred square) and then enlarged with nearest
/// neighbour to `cell × cell` pixels so that single pixels stay visible. Cells sit `gap` pixels
/// apart on a white background; the sheet has the image's channels.
public func montage(of image: Image, sizes: [Int], methods: [ResizeMethod], cell: Int? = nil, gap: Int = 4) -> Image {
    precondition(!sizes.isEmpty && !methods.isEmpty && sizes.allSatisfy { $0 > 0 }, "a montage needs sizes and methods")
    let cell = cell ?? sizes.max()!
    let scale = 2, labelHeight = 5 * scale + gap
    let labelWidth = methods.map { textWidth($0.description, scale: scale) }.max()! + gap
    let width = labelWidth + sizes.count * (cell + gap) + gap
    let height = labelHeight + methods.count * (cell + gap) + gap
    let channels = image.channels
    var pixels = [UInt8](repeating: 255, count: width * height * channels)
    let scratch = ResizeScratch()
    let enlarge = ResizeMethod(.nearest)
    for (column, size) in sizes.enumerated() {
        drawText("\(size) px", into: &pixels, width: width, channels: channels,
                 x: labelWidth + gap + column * (cell + gap), y: gap, scale: scale)
    }
    for (row, method) in methods.enumerated() {
        let top = labelHeight + gap + row * (cell + gap)
        drawText(method.description, into: &pixels, width: width, channels: channels,
                 x: gap, y: top + (cell - 5 * scale) / 2, scale: scale)
        for (column, size) in sizes.enumerated() {
            let small = resize(image, width: size, height: size, method: method, geometry: .centerCrop(1), scratch: scratch)
            let shown = resize(small, width: cell, height: cell, method: enlarge, scratch: scratch)
            let left = labelWidth + gap + column * (cell + gap)
            for y in 0..<cell {
                let dst = ((top + y) * width + left) * channels, rowBytes = cell * channels
                pixels.replaceSubrange(dst..<(dst + rowBytes), with: shown.pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
            }
        }
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
}
