import Foundation
import Testing
@testable import Report

/// A large sweep's page stays small and quick: 10 models × 20 resolutions × 3 methods × 3 seeds
/// on 1,000 test images. The target is < 2 s; the test prints the time (shared CPUs make it
/// noisy) and asserts only the size limit.
@Suite struct PerformanceTests {
    @Test func largeSweepRendersUnderFiveMegabytes() throws {
        let run = SimulatedRun(images: 1000, models: (1...10).map { $0 % 2 == 0 ? "flatten-cnn-\($0)" : "gap-cnn-\($0)" },
                               resolutions: [8, 10, 12, 14, 16, 18, 20, 22, 24, 28, 32, 36, 40, 44, 48, 56, 64, 80, 96, 128],
                               methods: [(.bilinear, true), (.nearest, false), (.bicubic, true)], seeds: [1, 2, 3])
        let data = try run.data()
        let start = Date()
        let html = renderReport(data)
        let seconds = Date().timeIntervalSince(start)
        let megabytes = Double(html.utf8.count) / 1_000_000
        print("report for 10 models × 20 resolutions × 3 methods × 3 seeds (\(data.evaluations.count) evaluations, 1000 images): \(String(format: "%.2f", seconds)) s, \(String(format: "%.2f", megabytes)) MB")
        #expect(megabytes < 5)
    }
}
