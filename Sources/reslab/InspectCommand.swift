import ArgumentParser
import Datasets
import Foundation

/// `reslab inspect <folder>`: what a class-per-folder dataset holds and which files it skips.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise an image folder: classes and counts per split, image sizes, formats, skipped files.",
        discussion: """
            The folder holds one sub-folder per class (FOLDER/<class>/<image>), or train/ and val/ \
            (or test/) folders that each hold the class folders. Every image is decoded once.
            """)

    @Argument(help: "The dataset folder.")
    var folder: String

    @Option(parsing: .unconditional, help: "Fraction of each class held out for testing when the folder has no train/ and val/ split.")
    var testFraction: Double = 0.2

    @Option(parsing: .unconditional, help: "Seed of the per-class shuffle that makes that split.")
    var seed: UInt64 = 0

    @OptionGroup var workers: ThreadsOption

    @OptionGroup var limits: InputLimitOptions

    func run() throws {
        limits.apply()
        print(try inspectImageFolder(root: folder, testFraction: testFraction, seed: seed, threadCount: workers.threads).text)
    }
}
