import Testing
@testable import NN

/// Floor against ceil at one layer, each case worked by hand from o = ⌊or⌈(n + 2p − e) / s⌉ + 1:
/// what the windows cover, (o − 1)·s + e, against the padded input, n + p.
@Suite struct RoundingWhatIfTests {
    /// (rule, output, dropped, padded after) along the rows, in order.
    static func figures(_ whatIf: RoundingWhatIf?) -> [String] {
        whatIf?.outcomes.map { "\($0.rule.rawValue) \($0.rows.input)→\($0.rows.output) -\($0.rows.dropped) +\($0.rows.padAfter)" } ?? []
    }

    @Test func poolOnAnOddMapDropsUnderFloorAndPadsUnderCeil() throws {
        let pool = try LayerSpec(parsing: "maxpool 2")
        // 15: floor 7 windows cover 14 rows, row 15 dropped; ceil 8 windows cover 16, one padded.
        let odd = pool.roundingWhatIf(height: 15, width: 15)
        #expect(odd?.used == .floor)
        #expect(Self.figures(odd) == ["floor 15→7 -1 +0", "ceil 15→8 -0 +1"])
        #expect(Self.figures(pool.roundingWhatIf(height: 30, width: 30)) == ["floor 30→15 -0 +0", "ceil 30→15 -0 +0"])
        #expect(pool.withRounding(.ceil).roundingWhatIf(height: 15, width: 15)?.used == .ceil)
    }

    @Test func rowsAndColumnsAreSizedSeparately() throws {
        let whatIf = try LayerSpec(parsing: "avgpool 2").roundingWhatIf(height: 15, width: 16)
        let floor = try #require(whatIf?.outcomes.first)
        #expect(floor.rows.output == 7 && floor.rows.dropped == 1)
        #expect(floor.columns.output == 8 && floor.columns.dropped == 0 && floor.columns.padAfter == 0)
    }

    @Test func stridedConvolutionsWithExplicitOrNoPadding() throws {
        // valid 3×3/2 at 16: span 13, floor 7 (covers 15, drops 1); ceil 8 (covers 17, pads 1).
        #expect(Self.figures(try LayerSpec(parsing: "conv 3x3 8 stride 2 pad valid").roundingWhatIf(height: 16, width: 16))
            == ["floor 16→7 -1 +0", "ceil 16→8 -0 +1"])
        // pad 1 at 16: span 15, floor 8 (covers 17 = 16 + 1 before: exact); ceil 9, its last
        // window starts at 8·2 − 1 = 15 < n + p = 17, so it stays (covers 19: pads 2 after).
        #expect(Self.figures(try LayerSpec(parsing: "conv 3x3 8 stride 2 pad 1").roundingWhatIf(height: 16, width: 16))
            == ["floor 16→8 -0 +0", "ceil 16→9 -0 +2"])
        // PyTorch's MaxPool2d(3, 2, 1, ceil_mode=True) on 8 gives 5 (floor 4).
        #expect(Self.figures(try LayerSpec(parsing: "maxpool 3 stride 2 pad 1").roundingWhatIf(height: 8, width: 8))
            == ["floor 8→4 -0 +0", "ceil 8→5 -0 +2"])
    }

    @Test func samePaddingAndBlurPoolHaveOneFixedRule() throws {
        // SAME 3×3/2 at 15: ⌈15/2⌉ = 8, padding 7·2 + 3 − 15 = 2 split 1 before, 1 after.
        let same = try LayerSpec(parsing: "conv 3x3 8 stride 2").roundingWhatIf(height: 15, width: 15)
        #expect(same?.used == .same && Self.figures(same) == ["same 15→8 -0 +1"])
        // BlurPool 2 (4 taps) at 15: ⌈15/2⌉ = 8, reflect padding 1 before, windows cover 7·2 + 4.
        let blur = try LayerSpec(parsing: "blurpool 2").roundingWhatIf(height: 15, width: 15)
        #expect(blur?.used == .blur && Self.figures(blur) == ["blur 15→8 -0 +2"])
    }

    @Test func layersThatDoNotDownsampleHaveNone() throws {
        for text in ["conv 3x3 8", "maxpool 3 stride 1", "relu", "gap", "flatten", "blurpool 1"] {
            #expect(try LayerSpec(parsing: text).roundingWhatIf(height: 15, width: 15) == nil, "\(text)")
        }
    }
}
