extension Image {
    /// The image flipped or rotated so that it shows upright, as Pillow's `ImageOps.exif_transpose`:
    /// 2 flip left–right, 3 rotate 180°, 4 flip top–bottom, 5 transpose, 6 rotate 90° clockwise,
    /// 7 transverse, 8 rotate 90° counter-clockwise. Orientations 5–8 swap width and height.
    ///
    /// Every orientation is an affine map from output pixel (x, y) to input pixel index
    /// `origin + x·stepX + y·stepY` (in pixels, input width W and height H), so one loop serves all.
    func transformed(by orientation: EXIFOrientation) -> Image {
        let w = width, h = height
        let (origin, stepX, stepY): (Int, Int, Int)
        switch orientation {
        case .up: return self
        case .mirrored: (origin, stepX, stepY) = (w - 1, -1, w)
        case .upsideDown: (origin, stepX, stepY) = (w * h - 1, -1, -w)
        case .mirroredUpsideDown: (origin, stepX, stepY) = ((h - 1) * w, 1, -w)
        case .transposed: (origin, stepX, stepY) = (0, w, 1)
        case .rotatedLeft: (origin, stepX, stepY) = ((h - 1) * w, -w, 1)
        case .transverse: (origin, stepX, stepY) = ((h - 1) * w + w - 1, -w, -1)
        case .rotatedRight: (origin, stepX, stepY) = (w - 1, w, -1)
        }
        let swapsAxes = orientation.rawValue >= 5
        let outWidth = swapsAxes ? h : w, outHeight = swapsAxes ? w : h
        let c = channels
        var output = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var o = 0
                for y in 0..<outHeight {
                    var source = origin + y * stepY
                    for _ in 0..<outWidth {
                        for k in 0..<c { out[o + k] = input[source * c + k] }
                        o += c
                        source += stepX
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: c, pixels: output)
    }
}
