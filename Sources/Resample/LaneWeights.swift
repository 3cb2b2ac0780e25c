/// An axis's weights laid out for the horizontal passes' 16-lane loads of interleaved pixels.
///
/// A block is P = 16 gray pixels, or P = 4 RGB pixels spread to 16 lanes as R G B 0 (a 16-byte
/// load, one `vpshufb`, see `rgbx`). Lane `laneStride · j + c` of block b holds the weight of
/// tap b·P + j (zero past the window's taps and in the spare lanes). One block costs a load,
/// a widening, a multiply and an add for up to 16 taps × channels; with 4 lanes per RGB pixel
/// the three channel sums fall out of two half-width adds.
///
/// Measured (256→32, one thread, per CPU-second): tap-by-tap scalar 8.6k bilinear / 3.3k
/// Lanczos images/s; 16-lane blocks of 5 RGB pixels with masked reductions 19k / 15k; the
/// RGBX layout further speeds up 256→128, where the per-pixel reduction dominates.
///
/// Reads run past the window by up to 15 bytes (blocks round the taps up); callers make sure
/// that much memory follows the last row they pass.
final class LaneWeights {
    /// Pixels per 16-lane block: 4 for RGB, 16 for gray.
    let pixelsPerBlock: Int
    /// Lanes per pixel: 4 for RGB (R G B 0), 1 for gray.
    let laneStride: Int
    /// Blocks per output: ⌈taps / pixelsPerBlock⌉.
    let blocks: Int
    /// (outSize, blocks) fixed-point lane weights.
    let fixed: UnsafeMutablePointer<SIMD16<Int32>>
    /// (outSize, blocks) float lane weights.
    let weights: UnsafeMutablePointer<SIMD16<Float>>

    init(_ table: AxisWeights, channels: Int) {
        precondition(channels == 1 || channels == 3, "lane weights exist for 1 or 3 channels, not \(channels)")
        laneStride = channels == 3 ? 4 : 1
        pixelsPerBlock = 16 / laneStride
        blocks = (table.taps + pixelsPerBlock - 1) / pixelsPerBlock
        let count = table.outSize * blocks
        fixed = .allocate(capacity: count)
        weights = .allocate(capacity: count)
        for i in 0..<table.outSize {
            for b in 0..<blocks {
                var f = SIMD16<Int32>(), w = SIMD16<Float>()
                for j in 0..<pixelsPerBlock where b * pixelsPerBlock + j < table.taps {
                    let tap = i * table.taps + b * pixelsPerBlock + j
                    for c in 0..<channels {
                        f[laneStride * j + c] = table.fixed[tap]
                        w[laneStride * j + c] = table.weights[tap]
                    }
                }
                fixed[i * blocks + b] = f
                weights[i * blocks + b] = w
            }
        }
    }

    deinit {
        fixed.deallocate()
        weights.deallocate()
    }
}

/// 4 RGB pixels from the 16 bytes at `p` (12 used), as Int32 lanes R G B 0 R G B 0 …
@inline(__always)
func rgbx(_ p: UnsafePointer<UInt8>) -> SIMD16<Int32> {
    let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self)
    return SIMD16<Int32>(truncatingIfNeeded: SIMD16<UInt8>(v[0], v[1], v[2], 0, v[3], v[4], v[5], 0,
                                                           v[6], v[7], v[8], 0, v[9], v[10], v[11], 0))
}

/// Lanes 4j + c summed over j: the R, G, B (and spare) totals of 4 RGBX pixels.
@inline(__always)
func pixelSum(_ v: SIMD16<Int32>) -> SIMD4<Int32> {
    let a = v.lowHalf &+ v.highHalf
    return a.lowHalf &+ a.highHalf
}

/// Lanes 4j + c summed over j.
@inline(__always)
func pixelSum(_ v: SIMD16<Float>) -> SIMD4<Float> {
    let a = v.lowHalf + v.highHalf
    return a.lowHalf + a.highHalf
}

/// The sum of all 16 lanes, as a tree of half-width adds (4 adds, no lane-by-lane loop).
@inline(__always)
func laneSum(_ v: SIMD16<Int32>) -> Int32 {
    let a = v.lowHalf &+ v.highHalf, b = a.lowHalf &+ a.highHalf, c = b.lowHalf &+ b.highHalf
    return c[0] &+ c[1]
}

/// The sum of all 16 lanes, as a tree of half-width adds.
@inline(__always)
func laneSum(_ v: SIMD16<Float>) -> Float {
    let a = v.lowHalf + v.highHalf, b = a.lowHalf + a.highHalf, c = b.lowHalf + b.highHalf
    return c[0] + c[1]
}

/// The 16 bytes at `p`, widened to Int32 lanes.
@inline(__always)
func bytes16(_ p: UnsafePointer<UInt8>) -> SIMD16<Int32> {
    SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self))
}
