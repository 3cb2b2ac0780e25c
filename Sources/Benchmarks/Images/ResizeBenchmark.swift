import Dispatch
import Foundation
import ImageIO
import NN
import Resample

/// The timed tasks of `reslab bench resize`, mirroring scripts/peers/pil_resize.py: every
/// image of a folder of 256×256 JPEGs per round, rounds repeated for ≥ 0.3 s, median of 5.
public struct ResizeBenchmark {
    public struct Row {
        public var name: String
        /// The peer's key for the same task.
        public var pillowKey: String
        public var rate: Double
        /// Images per second of process CPU time: steadier than `rate` on a busy machine.
        public var cpuRate: Double
    }

    let jpegs: [[UInt8]]
    let decoded: [Image]
    let threads: Int

    public init(folder: String, threads: Int) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jpg") }.sorted()
        guard !names.isEmpty else {
            throw BenchmarkError.badInput(file: folder, reason: "has no .jpg files; run `reslab bench resize` with its Pillow peer once to write them")
        }
        jpegs = try names.map { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
                throw ImageIOError.unreadable(file: folder + "/" + name, reason: "could not read it")
            }
            return [UInt8](data)
        }
        decoded = try jpegs.map { try decodeImage($0) }
        self.threads = threads
    }

    /// Every task, or those whose name contains `only`.
    public func run(only: String? = nil) throws -> [Row] {
        var rows = [Row]()
        func wanted(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }
        let pillowNames: [Filter: String] = [.bilinear: "BILINEAR", .bicubic: "BICUBIC", .lanczos: "LANCZOS", .box: "BOX"]
        for size in [32, 128] {
            for filter in [Filter.bilinear, .bicubic, .lanczos, .box] {
                let method = ResizeMethod(filter), name = "256→\(size) \(filter) (uint8)"
                guard wanted(name) else { continue }
                let (rate, cpuRate) = measure { image, scratch, _ in
                    _ = resize(decoded[image], width: size, height: size, method: method, scratch: scratch)
                }
                rows.append(Row(name: name, pillowKey: "\(size)_\(pillowNames[filter]!)", rate: rate, cpuRate: cpuRate))
            }
        }
        for draft in [false, true] {
            let name = "JPEG → 32×32 float\(draft ? ", draft" : "")"
            guard wanted(name) else { continue }
            let (rate, cpuRate) = measure { image, scratch, tensor in
                let decoded = try! decodeForResize(jpegs[image], width: 32, height: 32, draft: draft)
                resize(decoded, into: tensor, width: 32, height: 32, method: ResizeMethod(.bilinear), scratch: scratch)
            }
            rows.append(Row(name: name, pillowKey: draft ? "draft+bilinear32" : "decode+bilinear32", rate: rate, cpuRate: cpuRate))
        }
        return rows
    }

    /// Images per second of `task(image index, scratch, tensor)` over all images, spread over
    /// `threads` workers that each own a scratch and a 32×32×3 tensor.
    private func measure(_ task: (Int, ResizeScratch, UnsafeMutablePointer<Float>) -> Void) -> (wall: Double, cpu: Double) {
        let count = decoded.count
        let workers = (0..<threads).map { _ in (ResizeScratch(), UnsafeMutablePointer<Float>.allocate(capacity: 32 * 32 * 3)) }
        defer { workers.forEach { $0.1.deallocate() } }
        func round() {
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                for image in stride(from: worker, to: count, by: threads) { task(image, workers[worker].0, workers[worker].1) }
            }
        }
        round()  // warm-up: tables and buffers
        var start = DispatchTime.now().uptimeNanoseconds
        round()
        let once = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let loops = max(1, Int(0.3 / max(once, 1e-6)))
        var rates = [Double](), cpuRates = [Double]()
        for _ in 0..<5 {
            start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = processCPUSeconds()
            for _ in 0..<loops { round() }
            rates.append(Double(count * loops) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
            cpuRates.append(Double(count * loops) / (processCPUSeconds() - cpuStart))
        }
        return (median(rates), median(cpuRates))
    }
}
