import ArgumentParser

@main
struct Reslab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reslab",
        abstract: "Train a small CNN, test it at many image resolutions, and explain where accuracy drops.",
        version: "0.1.0",
        subcommands: [BenchCommand.self, ResizeCommand.self, InspectCommand.self, RunCommand.self, TrainCommand.self,
                      EvalCommand.self, ReportCommand.self, RemedyCommand.self, CompareCommand.self, SlurmCommand.self, ExplainCommand.self])
}
