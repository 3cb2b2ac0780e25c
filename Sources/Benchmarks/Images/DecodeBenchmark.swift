import Dispatch
import Foundation
import Datasets
import ImageIO

/// Images per second of `decodeImage` on in-memory files: the median, minimum and maximum of
/// `repeats` timings, each looping over all files until at least `seconds` have passed (after
/// one untimed warm-up pass). Files that fail to decode are counted like the others.
public struct DecodeRate: Sendable {
    public var median: Double
    public var minimum: Double
    public var maximum: Double
}

/// Times decoding `files` (their bytes, read once beforehand) on `threadCount` threads; worker w
/// decodes files w, w + T, w + 2T, … of each pass, as `decodeSamples` does.
public func measureDecodeRate(of files: [[UInt8]], threadCount: Int, seconds: Double = 1, repeats: Int = 3) -> DecodeRate {
    precondition(!files.isEmpty && threadCount >= 1 && repeats >= 1, "need files, threads ≥ 1 and repeats ≥ 1")
    let workers = min(threadCount, files.count)
    let pass = {
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: files.count, by: workers) { _ = try? decodeImage(files[index]) }
        }
    }
    pass()
    var rates: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        var decoded = 0, elapsed = 0.0
        while elapsed < seconds {
            pass()
            decoded += files.count
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        rates.append(Double(decoded) / elapsed)
    }
    rates.sort()
    return DecodeRate(median: rates[rates.count / 2], minimum: rates.first!, maximum: rates.last!)
}

/// Every `stride`-th PNG or JPEG file (by sorted path) under `root`, at most `limit` of them:
/// an even sample across the classes of a dataset folder.
public func sampleImageFiles(under root: String, limit: Int) throws -> [String] {
    let folder = try ImageFolder.load(root: root, testFraction: 0)
    let paths = (folder.train + folder.test).map(\.path).sorted()
    let stride = max(1, paths.count / max(1, limit))
    return Array(Swift.stride(from: 0, to: paths.count, by: stride).map { paths[$0] }.prefix(limit))
}
