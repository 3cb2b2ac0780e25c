import Testing
@testable import Kernels

/// How `WindowRows` cuts a K block into runs: taps that lie back to back in the band are one run,
/// a block starts and ends where it is told (inside a tap too), and taps apart stay apart.
@Suite struct WindowRowsTests {
    /// The runs of K block p0 ..< p0 + depth as (start, count) pairs (every run has step 1).
    func runs(taps: [Int], channels: Int, from p0: Int, depth: Int) -> [[Int]] {
        // `runs` reads only the tap offsets; A and the row offsets are valid pointers to one value,
        // alive while `windows` is used.
        withUnsafePointer(to: Float(0)) { a in
            withUnsafePointer(to: 0) { origin in
                taps.withUnsafeBufferPointer { tapOffsets in
                    let windows = WindowRows(a: a, rowOffsets: origin, tapOffsets: tapOffsets.baseAddress!, taps: taps.count, channels: channels)
                    let buffer = UnsafeMutablePointer<DepthRun>.allocate(capacity: windows.maximumRuns(depth: depth))
                    defer { buffer.deallocate() }
                    let count = windows.runs(from: p0, depth: depth, into: buffer)
                    #expect((0..<count).allSatisfy { buffer[$0].step == 1 })
                    return (0..<count).map { [buffer[$0].start, buffer[$0].count] }
                }
            }
        }
    }

    /// A 3×3 window on 3 channels in a band 10 pixels wide: each window row's 3 taps are 9
    /// contiguous floats, the rows 30 floats apart.
    static let rgbTaps = (0..<3).flatMap { i in (0..<3).map { j in (i * 10 + j) * 3 } }

    @Test func aWindowRowOfContiguousTapsIsOneRun() {
        #expect(runs(taps: Self.rgbTaps, channels: 3, from: 0, depth: 27) == [[0, 9], [30, 9], [60, 9]])
    }

    @Test func aBlockStartsAndEndsInsideTaps() {
        // p = 10 is tap 3 (row 1, column 0), channel 1; p = 22 is tap 7, channel 1.
        #expect(runs(taps: Self.rgbTaps, channels: 3, from: 10, depth: 12) == [[31, 8], [60, 4]])
    }

    @Test func dilatedTapsStayApart() {
        // Dilation 2: taps 6 floats apart on 3 channels.
        let taps = (0..<3).flatMap { i in (0..<3).map { j in (i * 2 * 10 + j * 2) * 3 } }
        #expect(runs(taps: taps, channels: 3, from: 0, depth: 9) == [[0, 3], [6, 3], [12, 3]])
    }
}
