import ImageIO

/// The images decoded from a list of samples: `images[i]` belongs to `samples[i]`. Samples
/// whose file could not be decoded are left out of both and listed in `skipped`.
public struct DecodedSamples: Sendable {
    public var samples: [Sample]
    public var images: [Image]
    public var skipped: [SkippedFile]
}

/// Decodes `samples` on `threadCount` threads, applying `transform` (e.g. a resize) to each image
/// on the worker thread, so that full-size images need not all be held at once. The output keeps
/// the input order. A file that fails to decode or to transform is skipped with the error's
/// sentence as reason; the run goes on.
public func decodeSamples(_ samples: [Sample], options: DecodeOptions = DecodeOptions(), threadCount: Int = 2,
                          transform: (@Sendable (Image) throws -> Image)? = nil) -> DecodedSamples {
    let results = parallelMap(samples.count, threadCount: threadCount) { index in
        Result<Image, Error> {
            let image = try readImage(atPath: samples[index].path, options: options)
            return try transform.map { try $0(image) } ?? image
        }
    }
    var decoded = DecodedSamples(samples: [], images: [], skipped: [])
    decoded.samples.reserveCapacity(samples.count)
    decoded.images.reserveCapacity(samples.count)
    for (sample, result) in zip(samples, results) {
        switch result {
        case let .success(image):
            decoded.samples.append(sample)
            decoded.images.append(image)
        case let .failure(error):
            decoded.skipped.append(SkippedFile(path: sample.path, reason: "\(error)"))
        }
    }
    return decoded
}
