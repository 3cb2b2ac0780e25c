import ArgumentParser

/// `--threads` of the benchmarks: the thread counts to measure, each once, from 1 to
/// `ThreadsOption.maximum`.
struct BenchThreadsOption: ParsableArguments {
    @Option(name: .long, parsing: .upToNextOption, help: "Thread counts to measure.")
    var threads: [Int] = [1, 2]

    func validate() throws {
        if let bad = threads.first(where: { !(1...ThreadsOption.maximum).contains($0) }) {
            throw ValidationError("--threads takes counts from 1 to \(ThreadsOption.maximum), not \(bad).")
        }
        if let twice = threads.first(where: { count in threads.filter { $0 == count }.count > 1 }) {
            throw ValidationError("--threads names \(twice) twice; give each count once, e.g. --threads 1 2.")
        }
    }
}
