import Dispatch
import ImageIO

/// The images decoded from a list of samples: `images[i]` belongs to `samples[i]`. Samples
/// whose file could not be decoded are left out of both and listed in `skipped`.
public struct DecodedSamples: Sendable {
    public var samples: [Sample]
    public var images: [Image]
    public var skipped: [SkippedFile]
}

/// Decodes `samples` on `threadCount` threads (`DispatchQueue.concurrentPerform`), applying
/// `transform` (e.g. a resize) to each image on the worker thread. The output keeps the input
/// order. A file that fails to decode or to transform is skipped with the error's sentence as
/// reason; the run goes on.
///
/// Work is split by interleaving (worker w takes samples w, w + T, w + 2T, …), which balances
/// well when file sizes vary little inside a class.
public func decodeSamples(_ samples: [Sample], options: DecodeOptions = DecodeOptions(), threadCount: Int = 2,
                          transform: (@Sendable (Image) throws -> Image)? = nil) -> DecodedSamples {
    precondition(threadCount >= 1, "threadCount must be at least 1, not \(threadCount)")
    var results = [Result<Image, Error>?](repeating: nil, count: samples.count)
    let workers = min(threadCount, max(1, samples.count))
    results.withUnsafeMutableBufferPointer { slots in
        // Each worker writes only its own slots, so the shared buffer needs no lock.
        nonisolated(unsafe) let output = slots
        let work: (Int) -> Void = { worker in
            for index in stride(from: worker, to: samples.count, by: workers) {
                output[index] = Result {
                    let image = try readImage(atPath: samples[index].path, options: options)
                    return try transform.map { try $0(image) } ?? image
                }
            }
        }
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
    }
    var decoded = DecodedSamples(samples: [], images: [], skipped: [])
    decoded.samples.reserveCapacity(samples.count)
    decoded.images.reserveCapacity(samples.count)
    for (sample, result) in zip(samples, results) {
        switch result! {
        case let .success(image):
            decoded.samples.append(sample)
            decoded.images.append(image)
        case let .failure(error):
            decoded.skipped.append(SkippedFile(path: sample.path, reason: "\(error)"))
        }
    }
    return decoded
}
