import Foundation

// A run folder belongs to reslab alone: it rewrites results.csv and report.html in place, so a
// folder the user made for something else must never become one. These checks decide which
// folders may be taken, undo a start that failed, and clear the temporary files of killed writers.

extension RunFolder {
    /// Entries that may exist in a folder that is not yet a run (no experiment.yaml): what
    /// `reslab slurm` writes before its tasks start, and what `prepare` writes before experiment.yaml.
    static let preRunEntries: Set<String> = ["slurm", "logs", "cells", "config.resolved.yaml"]

    /// Throws unless the folder is missing, empty, a run folder, or holds only what reslab writes
    /// before a run starts (hidden entries are ignored); `option` names where the path came from.
    func checkClaimable(option: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw ExperimentError.notOurFolder(path: path, option: option, entry: nil) }
        if exists { return }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        if let foreign = entries.filter({ !$0.hasPrefix(".") && !Self.preRunEntries.contains($0) }).sorted().first {
            throw ExperimentError.notOurFolder(path: path, option: option, entry: foreign)
        }
    }

    /// Removes temporary files (`.<name>.<host>.<pid>.tmp`, see `writeAtomically`) left by
    /// processes of this host that no longer run. Files of other hosts are left alone: their
    /// writers may still be alive.
    public func removeStaleTemporaries() {
        let suffix = ".tmp"
        let hostPart = "." + hostName + "."
        let files = FileManager.default
        let folders = [path, cellsFolder, path + "/checkpoints"]
            + ((try? files.contentsOfDirectory(atPath: path + "/predictions")) ?? []).map { path + "/predictions/" + $0 }
        for folder in folders {
            for name in (try? files.contentsOfDirectory(atPath: folder)) ?? []
            where name.hasPrefix(".") && name.hasSuffix(suffix) {
                let stem = name.dropLast(suffix.count)
                guard let hostRange = stem.range(of: hostPart, options: .backwards),
                      let pid = Int32(stem[hostRange.upperBound...]),
                      kill(pid, 0) != 0 && errno == ESRCH else { continue }
                unlink(folder + "/" + name)
            }
        }
    }
}

/// Runs `body`, the start of a run (folder, data, first files); when it throws and the run folder
/// did not exist before (`created`), removes the folder so that a failed start (missing images,
/// an unreadable checkpoint) leaves nothing behind to block or confuse the next run.
func removingFolderOnFailure<T>(_ folder: RunFolder, created: Bool, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        if created && folder.finishedCellIDs().isEmpty {
            try? FileManager.default.removeItem(atPath: folder.path)
        }
        throw error
    }
}
