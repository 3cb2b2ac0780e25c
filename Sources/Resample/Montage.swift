import ImageIO

/// A comparison sheet: one row per method, one column per size. Each cell shows the image
/// resized to size × size (centre crop, crop fraction 1: the largest centred square) and then
/// enlarged with nearest neighbour to `cell × cell` pixels so that single pixels stay visible.
/// Cells sit `gap` pixels apart on a white background; the sheet has the image's channels.
public func montage(of image: Image, sizes: [Int], methods: [ResizeMethod], cell: Int? = nil, gap: Int = 4) -> Image {
    precondition(!sizes.isEmpty && !methods.isEmpty && sizes.allSatisfy { $0 > 0 }, "a montage needs sizes and methods")
    let cell = cell ?? sizes.max()!
    let width = sizes.count * (cell + gap) + gap, height = methods.count * (cell + gap) + gap
    let channels = image.channels
    var pixels = [UInt8](repeating: 255, count: width * height * channels)
    let scratch = ResizeScratch()
    let enlarge = ResizeMethod(.nearest)
    for (row, method) in methods.enumerated() {
        for (column, size) in sizes.enumerated() {
            let small = resize(image, width: size, height: size, method: method, geometry: .centerCrop(1), scratch: scratch)
            let shown = resize(small, width: cell, height: cell, method: enlarge, scratch: scratch)
            let left = gap + column * (cell + gap), top = gap + row * (cell + gap)
            for y in 0..<cell {
                let dst = ((top + y) * width + left) * channels, row = cell * channels
                pixels.replaceSubrange(dst..<(dst + row), with: shown.pixels[(y * row)..<((y + 1) * row)])
            }
        }
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
}
