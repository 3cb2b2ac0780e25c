import ArgumentParser
import Foundation
import NN

/// `reslab bench train`: the reference CNN's training and inference throughput at 1 and 2
/// threads, beside numpy + OpenBLAS training (`../shared/peers/numpy_cnn.py`) run in the same
/// invocation, and the peak resident memory of training batch 64 at 128×128 (in a child process).
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Reference CNN training and inference img/s and GFLOP/s beside numpy + OpenBLAS.")

    /// One core's float32 FMA peak on the reference machine (Zen 5: 2 × 16-lane FMA per cycle).
    static let peakPerCore = 271.0
    /// ONNX Runtime 1-thread inference, batch 256, measured on this machine (issue 5).
    static let onnxRuntime: [Int: Double] = [16: 50_968, 32: 11_601, 64: 2_792, 128: 716]

    @Option(name: .long, parsing: .upToNextOption, help: "Thread counts to measure.")
    var threads: [Int] = [1, 2]

    @Option(name: .long, parsing: .upToNextOption, help: "Inference input sizes (pixels).")
    var sizes: [Int] = [16, 32, 64, 128]

    @Option(name: .long, help: "Seconds per timed window (3 windows, median shown).")
    var seconds = 1.0

    @Option(name: .long, help: "Python with numpy and threadpoolctl for the peer.")
    var python = "/tmp/peers/bin/python"

    @Option(name: .long, help: "The numpy peer script.")
    var peer = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/peers/numpy_cnn.py").standardized.path

    @Flag(name: .long, help: "Skip the numpy peer.")
    var noPeer = false

    @Flag(name: .long, help: .hidden)
    var memoryProbe = false

    func validate() throws {
        guard threads.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--threads takes counts of at least 1.") }
        guard sizes.allSatisfy({ $0 >= 8 }) else { throw ValidationError("--sizes must be at least 8 (three 2×2 poolings).") }
        if !noPeer, !memoryProbe, !FileManager.default.isExecutableFile(atPath: python) || !FileManager.default.fileExists(atPath: peer) {
            throw ValidationError("The peer \(python) \(peer) is missing: pass --python and --peer, or --no-peer.")
        }
    }

    func run() throws {
        let spec = ModelSpec.referenceCNN()
        if memoryProbe {
            try NetworkBenchmark.trainSteps(spec: spec, batch: 64, size: 128, steps: 3)
            print(peakResidentMegabytes())
            return
        }
        print("Reference CNN [\(spec)]; % of the \(Int(Self.peakPerCore)) GFLOP/s per-core peak × threads")
        print("img/CPU-s: images per second of this process's CPU time (summed over threads), unaffected by other load")
        print("\ntraining, batch 64, 32×32 (AdamW; numpy peer: Adam, OPENBLAS_CORETYPE=SkylakeX)")
        print(row("threads", "img/s", "GFLOP/s", "%peak", "img/CPU-s", "numpy img/s", "ratio"))
        var training: [Int: Double] = [:]
        for count in threads {
            let result = try NetworkBenchmark.training(spec: spec, batch: 64, size: 32, threads: count, seconds: seconds)
            training[count] = result.imagesPerSecond
            let numpy = noPeer ? nil : try numpyImagesPerSecond(threads: count)
            print(row("\(count)", f(result.imagesPerSecond), f(result.gflops), percent(result), f(result.imagesPerCPUSecond),
                      numpy.map(f) ?? "—", numpy.map { String(format: "%.2f×", result.imagesPerSecond / $0) } ?? "—"))
        }
        if let one = training[1], let two = training[2] {
            print(String(format: "speed-up 1 → 2 threads: %.2f×", two / one))
        }
        print("\ninference, batch 256 (ONNX Runtime: 1 thread, measured earlier on this machine)")
        print(row("size", "threads", "img/s", "GFLOP/s", "%peak", "img/CPU-s", "ORT img/s", "ratio"))
        for size in sizes {
            for count in threads {
                let result = try NetworkBenchmark.inference(spec: spec, batch: 256, size: size, threads: count, seconds: seconds)
                let ort = Self.onnxRuntime[size]
                print(row("\(size)", "\(count)", f(result.imagesPerSecond), f(result.gflops), percent(result),
                          f(result.imagesPerCPUSecond), ort.map(f) ?? "—", ort.map { String(format: "%.2f×", result.imagesPerSecond / $0) } ?? "—"))
            }
        }
        print("\npeak resident memory, training batch 64 at 128×128 (fresh process): \(try probeMemory()) MB")
    }

    private func f(_ value: Double) -> String { String(format: value >= 100 ? "%.0f" : "%.1f", value) }

    private func percent(_ result: Throughput) -> String {
        String(format: "%.0f%%", 100 * result.gflops / (Self.peakPerCore * Double(result.threads)))
    }

    private func row(_ cells: String...) -> String {
        cells.map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined(separator: " ")
    }

    /// ru_maxrss of this process, in MB (Linux reports kilobytes).
    private func peakResidentMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    /// Runs this command with --memory-probe in a child process and returns its peak RSS (MB).
    private func probeMemory() throws -> String {
        let output = try runCapturingOutput(CommandLine.arguments[0], ["bench", "train", "--memory-probe"])
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The peer's median img/s from its JSON line.
    private func numpyImagesPerSecond(threads: Int) throws -> Double {
        let output = try runCapturingOutput(python, [peer, "--threads", "\(threads)"], environment: ["OPENBLAS_CORETYPE": "SkylakeX"])
        struct Line: Decodable { var images_per_s: Double }
        guard let line = output.split(separator: "\n").last,
              let parsed = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) else {
            throw ValidationError("The numpy peer printed no result line; run \(python) \(peer) --threads \(threads) by hand to see why, or pass --no-peer.")
        }
        return parsed.images_per_s
    }
}
