import Testing
@testable import Experiment

struct SlurmTimeTests {
    @Test(arguments: [
        ("90", 90), ("90:30", 91), ("1:30:00", 90), ("2-0", 2880), ("1-2:30", 1590), ("0-0:0:1", 1),
    ])
    func readsEverySbatchFormat(text: String, minutes: Int) {
        #expect(SlurmTime(text)?.minutes == minutes)
    }

    @Test(arguments: ["", "0", "1:2:3:4", "x", "1-2-3", "-5", "1:-1", "1-"])
    func refusesOtherText(text: String) {
        #expect(SlurmTime(text) == nil)
    }

    @Test func writesHoursAndDays() {
        #expect(SlurmTime(minutes: 5).description == "00:05:00")
        #expect(SlurmTime(minutes: 1439).description == "23:59:00")
        #expect(SlurmTime(minutes: 1440 * 3 + 61).description == "3-01:01:00")
    }

    @Test func estimateScalesTheMeasuredRate() {
        // 1.2e12 FLOPs at 1e9 FLOP/s is 20 min; ×3 safety + 2 min start-up = 62 min.
        #expect(SlurmTime.estimate(cellFLOPs: 1.2e12, flopsPerSecond: 1e9).minutes == 62)
        // A tiny cell still gets the 10-minute floor.
        #expect(SlurmTime.estimate(cellFLOPs: 1e6, flopsPerSecond: 1e9).minutes == 10)
    }
}
