import Foundation

/// Walks a dataset's folders safely: every real folder (device and inode) is entered at most
/// once, so a symbolic link back into the tree (`ln -s . a/loop`, `ln -s .. a/up`) neither
/// multiplies samples nor relabels another class's images; only regular files (or links to them)
/// are listed, so a FIFO named `x.png` is never opened; and the walk stops with an error after
/// `limit` entries instead of running for hours.
struct FolderWalk {
    /// Entries (files and folders) the walk may visit before it gives up.
    let limit: Int
    private(set) var visited: Set<FileID> = []
    private(set) var entries = 0

    /// A file's identity on this machine: (device, inode).
    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// What a path is, following symbolic links.
    enum Kind {
        case folder(FileID)
        case file
        /// Neither a regular file nor a folder (FIFO, socket, device), or a dangling link: the reason.
        case other(String)
    }

    init(limit: Int) { self.limit = limit }

    /// What `path` is, by `stat` (links followed); nothing is opened.
    static func kind(of path: String) -> Kind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .other(errno == ENOENT ? "it is a link to nothing (its target does not exist)" : "it cannot be examined (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .folder(FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)))
        case S_IFREG: return .file
        default: return .other("it is not a regular file (a FIFO, socket or device), so it was not opened")
        }
    }

    /// Marks the folder at `path` as entered; false when it was entered before (a link cycle or
    /// a second link to the same folder) or is not a folder.
    mutating func enter(_ path: String) -> Bool {
        guard case let .folder(id) = Self.kind(of: path) else { return false }
        return visited.insert(id).inserted
    }

    /// Sorted names in `folder`, without hidden entries; counts them against the limit.
    mutating func entries(of folder: String) throws -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }
        entries += names.count
        if entries > limit { throw DatasetError.tooManyFiles(folder: folder, limit: limit) }
        return names.sorted()
    }
}
