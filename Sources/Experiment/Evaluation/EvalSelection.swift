import Datasets
import Foundation

/// `reslab eval --split`: which images of the folder to test.
public enum EvalSplit: String, CaseIterable, Sendable {
    /// The held-out images: `val/` (or `test/`) of a folder with split folders, else the part of
    /// each class that the checkpoint's recorded split (test fraction, split seed) kept out of training.
    case test
    /// The images the model was trained on (to measure the gap to held-out ones).
    case train
    /// Every image of the folder.
    case all
}

/// The images `reslab eval` tests, what it tells the user about them, and the names of the
/// training images among the folder's files when they are known.
struct EvalSelection {
    var samples: [Sample]
    /// What was selected, for the console and the report: "the 10 images held out from training (…)".
    var description: String
    /// Sentences for the user, before the overlap count (which needs the decoded images).
    var warnings: [String]
    /// Paths below the root of the images the model was trained on, when this folder's training
    /// split is provably the recorded one (same count and digest); nil when it cannot be told.
    var trainingNames: Set<String>?

    /// The overlap warning: how many of the evaluated images (`names`, below the root) the model
    /// was trained on; nil when none are, or when that cannot be told.
    func overlapWarning(_ names: [String]) -> String? {
        guard let trainingNames else { return nil }
        let overlap = names.filter(trainingNames.contains).count
        guard overlap > 0 else { return nil }
        return "\(overlap) of the \(names.count) evaluated images were used to train this model; their accuracy overstates what it does on new images (--split test tests only the held-out ones)."
    }
}

/// Scans `root` (with the split the checkpoint's `record` names, or 0.2 and seed 0 without one)
/// and chooses the images for `split`; without a `split`, the held-out images when they can be
/// told apart (a folder with split folders, or the training list the checkpoint records), else all.
/// `classNames` nil (an imported model) takes the folder's classes.
func selectEvaluationImages(_ root: String, classNames: [String]?, record: TrainingRecord?, split: EvalSplit?) throws
    -> (ImageFolder, EvalSelection) {
    let recorded = record?.experiment.dataset
    let fraction = recorded?.testFraction ?? 0.2, seed = recorded?.splitSeed ?? 0
    let folder: ImageFolder
    do { folder = try ImageFolder.load(root: root, testFraction: fraction, seed: UInt64(seed)) } catch {
        throw ExperimentError.dataset("\(error)")
    }
    if let classNames, folder.classNames != classNames {
        throw ExperimentError.dataset("\(root) has the classes \(folder.classNames.joined(separator: ", ")), but the model was trained on \(classNames.joined(separator: ", ")); give a folder with one sub-folder per class of the model, named alike.")
    }
    let digest = FileListDigest(folder.train, root: root, classNames: folder.classNames)
    let matches = record?.trainFiles == digest
    let splitFolder: String?
    if case let .folders(test) = folder.split { splitFolder = test } else { splitFolder = nil }
    let chosen = split ?? (matches || splitFolder != nil ? .test : .all)

    var warnings: [String] = []
    let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
    if let record, let recordedFolder = recorded?.folder, !matches, recordedFolder == absolute {
        let then = record.trainFiles.map { "\($0.count) files then, \(digest.count) now" } ?? "no list recorded"
        warnings.append("\(root) is the folder this model was trained on, but its training files changed since (\(then)), so they cannot be told apart from held-out ones: the evaluated images may include training images.")
    } else if classNames == nil && splitFolder == nil && chosen != .test {
        warnings.append("reslab cannot tell which of these images trained the imported model; if it was trained on any of \(root), their accuracy overstates what it does on new images.")
    } else if record == nil && splitFolder == nil && chosen != .test {
        warnings.append("the checkpoint does not record its training images (it was written by an earlier reslab); if it was trained on \(root), the evaluated images include them.")
    }

    let samples: [Sample], description: String
    let recipe = "test_fraction \(fraction), split_seed \(seed)"
    switch chosen {
    case .test:
        samples = folder.test
        if let splitFolder {
            description = "the \(samples.count) images of \(splitFolder)/"
        } else if matches {
            description = "the \(samples.count) images held out from training (\(recipe), as the checkpoint records; --split all or train for others)"
        } else {
            description = "the \(samples.count) images that a \(recipe) split holds out"
        }
    case .train:
        samples = folder.train
        description = splitFolder != nil ? "the \(samples.count) images of train/" : "the \(samples.count) images that a \(recipe) split trains on"
    case .all:
        samples = folder.train + folder.test
        description = "all \(samples.count) images of \(root)"
    }
    let trainingNames = matches ? Set(folder.train.map { pathBelow(root, $0.path) }) : nil
    return (folder, EvalSelection(samples: samples, description: description, warnings: warnings, trainingNames: trainingNames))
}
