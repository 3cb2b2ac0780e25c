import Foundation
import Kernels
import Report
import Resample

/// Test images the Nyquist budget measures: at most this many, evenly spaced over the test split
/// (the mean share's standard error is then below about half a point for typical photos).
let nyquistSampleSize = 500

/// The Nyquist budget of the test split at every test resolution: each sampled image's 2-D DCT
/// energy (`SpectralEnergy`) read at the grid the evaluation's crop resamples it to.
func measureNyquistBudget(_ data: LoadedData, config: ExperimentConfig) throws -> NyquistBudget {
    let test = data.test
    let count = min(test.count, nyquistSampleSize)
    let images = try test.images((0..<count).map { $0 * test.count / count })
    let resolutions = Array(Set(config.evaluation.resolutions.values)).sorted()
    let geometry = config.evaluation.crop.geometry
    // shares[i]: image i's share at each resolution; nil for a uniform image.
    var shares = [[Double]?](repeating: nil, count: images.count)
    shares.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let out = buffer.baseAddress!
        Parallel.forRanges(images.count) { range in
            for i in range {
                let energy = SpectralEnergy(images[i])
                let row = resolutions.compactMap { energy.shareAboveNyquist(width: $0, height: $0, geometry: geometry) }
                out[i] = row.count == resolutions.count ? row : nil
            }
        }
    }
    let kept = shares.indices.filter { shares[$0] != nil }
    return NyquistBudget(resolutions: resolutions, shares: kept.map { shares[$0]! },
                         widths: kept.map { images[$0].width }, heights: kept.map { images[$0].height })
}

/// Writes nyquist.json unless the folder has it (every process would measure the same images).
func storeNyquistBudget(_ data: LoadedData, config: ExperimentConfig, in folder: RunFolder) throws {
    guard !FileManager.default.fileExists(atPath: folder.nyquistFile) else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try writeAtomically(encoder.encode(measureNyquistBudget(data, config: config)), to: folder.nyquistFile)
}

/// The budget in nyquist.json; nil when the run has none (runs made before reslab measured it).
func storedNyquistBudget(_ folder: RunFolder) throws -> NyquistBudget? {
    guard let bytes = FileManager.default.contents(atPath: folder.nyquistFile) else { return nil }
    do {
        return try JSONDecoder().decode(NyquistBudget.self, from: bytes)
    } catch {
        throw ExperimentError.io(path: folder.nyquistFile, reason: "it is not a Nyquist budget reslab wrote (\(error)); delete it and rerun the experiment to measure it again")
    }
}

extension TestCrop {
    /// The resize geometry this crop mode asks for.
    var geometry: Geometry {
        switch self {
        case .squash: return .squash
        case let .center(cropPct): return .centerCrop(cropPct)
        }
    }
}
