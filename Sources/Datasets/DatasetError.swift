import ImageIO

/// Why a folder could not be read as a dataset. Messages are sentences that name the folder and
/// say which layout was expected.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// The root folder is missing or not a folder.
    case notAFolder(path: String)
    /// The root (or one of its split folders) holds no class folders.
    case noClasses(folder: String)
    /// A class folder holds no readable PNG or JPEG image in the training split.
    case emptyClass(name: String, folder: String)
    /// The root has a `train/` folder but neither `val/` nor `test/`.
    case missingTestSplit(root: String)
    /// The test fraction is outside 0 ..< 1.
    case invalidTestFraction(Double)
    /// The scan visited more than `limit` files and folders (`ImageFolder.defaultFileLimit`).
    case tooManyFiles(folder: String, limit: Int)

    /// The two layouts `ImageFolder.load` accepts, spelled out for error messages.
    static let expectedLayout =
        "expected either ROOT/<class>/<image> (split by a test fraction) or ROOT/train/<class>/<image> with ROOT/val/<class>/<image> (or ROOT/test/...)"

    public var description: String {
        switch self {
        case let .notAFolder(path):
            return "\(path) is not a folder; pass the folder that holds one sub-folder per class (\(Self.expectedLayout))."
        case let .noClasses(folder):
            return "\(folder) holds no class folders; \(Self.expectedLayout)."
        case let .emptyClass(name, folder):
            return "Class folder '\(name)' in \(folder) holds no readable PNG or JPEG image; add images or remove the folder (\(Self.expectedLayout))."
        case let .missingTestSplit(root):
            return "\(root) has a train/ folder but no val/ or test/ folder; add one, or move the class folders up to \(root) to split them by a test fraction."
        case let .tooManyFiles(folder, limit):
            return "The dataset holds more than \(limit) files and folders (the scan stopped in \(folder)); point the run at a smaller folder, split the dataset, or \(InputLimit.files.howToRaise)."
        case let .invalidTestFraction(fraction):
            return "The test fraction must be at least 0 and below 1, not \(fraction)."
        }
    }
}
