import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Fixtures {
    /// The folder that shared archives are unpacked into, once per machine: `/tmp/reslab-datasets`
    /// (`RESLAB_DATASET_CACHE` overrides it).
    public static var datasetCache: String {
        ProcessInfo.processInfo.environment["RESLAB_DATASET_CACHE"] ?? "/tmp/reslab-datasets"
    }

    /// Unpacks `../shared/datasets/<archive>` (e.g. `cifar10.tar.gz`, `mnist.tar.gz`,
    /// `imagenette-small.tar`) into `datasetCache` unless already done, and returns the path of
    /// the unpacked top folder (`<cache>/cifar10`); `nil` when the shared datasets are absent.
    ///
    /// Concurrent test processes are serialised by an exclusive `flock` on `<cache>/.<name>.lock`;
    /// a `<cache>/.<name>.done` marker, written after `tar` succeeds, makes later calls instant.
    /// A half-finished unpack (no marker) is removed and redone.
    public static func unpackedDataset(_ archive: String) throws -> String? {
        guard let shared = sharedDatasets else { return nil }
        let archivePath = shared + "/" + archive
        guard FileManager.default.fileExists(atPath: archivePath) else { return nil }
        let name = archive.components(separatedBy: ".").first!
        let cache = datasetCache, target = cache + "/" + name, marker = cache + "/." + name + ".done"
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let lock = open(cache + "/." + name + ".lock", O_CREAT | O_RDWR, 0o644)
        guard lock >= 0 else { throw UnpackError(message: "cannot create a lock file in \(cache)") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        if FileManager.default.fileExists(atPath: marker) { return target }
        try? FileManager.default.removeItem(atPath: target)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xf", archivePath, "-C", cache]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            throw UnpackError(message: "tar could not unpack \(archivePath) into \(cache) (exit status \(tar.terminationStatus))")
        }
        guard FileManager.default.createFile(atPath: marker, contents: Data()) else {
            throw UnpackError(message: "cannot write the marker file \(marker)")
        }
        return target
    }

    /// Unpacking a shared archive failed.
    public struct UnpackError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message + "." }
    }
}
