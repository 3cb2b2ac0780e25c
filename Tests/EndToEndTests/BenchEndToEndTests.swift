import Foundation
import Testing
import TestSupport

/// `reslab bench …` as a user runs it: the machine facts and the measured peak on every run,
/// peers found without hard-coded paths (or refused with a sentence), the background load gone
/// when the benchmark ends. Peers are skipped (`--no-peer`) so the tests need no Python.
struct BenchEndToEndTests {
    @Test func trainPrintsMachinePeakAndMemory() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try ReslabBinary.run(["bench", "train", "--threads", "1", "--sizes", "16", "--seconds", "0.05", "--no-peer",
                                            "--background-load"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = outcome.stdout
        for expected in ["machine: ", ", load average ", "FMA peak per core measured now: ", "%peak below is GFLOP/s ÷ (",
                         "training, batch 64, 32×32", "inference, batch 256", "peak RSS of training, batch 64 at 128×128, in a fresh process, 1 thread: ",
                         "peak RSS of this process: ", "load average at the end: "] {
            #expect(text.contains(expected), "missing \"\(expected)\" in:\n\(text)")
        }
        // The fresh process's peak holds at least the training workspace: 262,979,584 bytes
        // (250.8 MiB with one thread, docs/engine.md; its liveness block pinned by NN's
        // LivenessTests) for batch 64 at 128 px.
        let probe = text.split(separator: "\n").first { $0.hasPrefix("peak RSS of training") }?
            .split(separator: ": ").last?.split(separator: " ").first.flatMap { Int($0) }
        #expect((probe ?? 0) >= 262_979_584 / 1_048_576, "\(text)")
        // The busy process is named with its pid and is gone once the benchmark has returned.
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("background load: ") }, "\(text)")
        let pid = try #require(line.split(separator: "(pid ").last?.split(separator: ")").first.flatMap { Int32($0) })
        var exited = false
        for _ in 0..<50 where !exited {
            exited = kill(pid, 0) != 0
            if !exited { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(exited, "busy process \(pid) still runs")
    }

    @Test func resNet20StepRunsAndCountsTheZoosParameters() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try ReslabBinary.run(["bench", "train", "--model", "resnet-20", "--threads", "1", "--seconds", "0.05", "--no-peer"],
                                           in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let row = outcome.stdout.split(separator: "\n").first { $0.hasPrefix("1 ") }.map(String.init) ?? ""
        #expect(row.split(separator: " ").dropFirst().first == "273258", "\(outcome.stdout)")
        #expect(row.contains(" ms ") && outcome.stdout.contains("SGD momentum 0.9, batch norm in training mode"), "\(outcome.stdout)")
    }

    /// The memory probe reports its own peak, not its parent's: Linux carries a spawning
    /// process's high-water mark into the child's `ru_maxrss`, so a probe started by a benchmark
    /// that had peaked at 427 MB printed 427 for its own 226 MB. Here the parent (this test
    /// process) first touches 768 MB more than it ever held; the one-thread ResNet-20 probe
    /// (226 MB on the AVX2 EPYC, 2026-12-01) must still print less than 512.
    @Test func memoryProbeReportsItsOwnPeakNotItsParents() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = 768 << 20
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes)
        defer { block.deallocate() }
        for page in stride(from: 0, to: bytes, by: 4096) { block[page] = UInt8(truncatingIfNeeded: page >> 12) }
        let outcome = try ReslabBinary.run(["bench", "train", "--memory-probe", "--model", "resnet-20", "--threads", "1"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let megabytes = try #require(Int(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(outcome.stdout)")
        // Reading the pages back keeps their writes (and the parent's 768 MB) from being optimised away.
        let touched = stride(from: 0, to: bytes, by: 4096).reduce(0) { $0 &+ Int(block[$1]) }
        #expect(megabytes > 100 && megabytes < 512, "probe printed \(megabytes) MB; the parent held 768 MB (checksum \(touched))")
    }

    @Test func onnxRunsAnImportedModel() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = Fixtures.path("onnx/resnet/model.onnx")
        let outcome = try ReslabBinary.run(["bench", "onnx", "--model", model, "--size", "32", "--batch", "2", "--threads", "1", "2",
                                            "--seconds", "0.05", "--no-peer"], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("model: \(model) (opset ") && outcome.stdout.contains("inference, batch 2, 32×32"), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("speed-up 1 → 2 threads: reslab "), "\(outcome.stdout)")
        #expect(outcome.stdout.contains("the machine in the same rounds (an FMA loop timed right after reslab's calls, same threads and CPUs): "
                                        + "1 → 2 threads "), "\(outcome.stdout)")
        if ProcessInfo.processInfo.activeProcessorCount == 2 {
            // One-thread windows on each of the two CPUs, each CPU's figure on its own line.
            #expect(outcome.stdout.contains("one-thread rows: each round times reslab and then its peer pinned to CPU "), "\(outcome.stdout)")
            #expect(outcome.stdout.contains("one thread on CPU ") && outcome.stdout.contains(", median img/s: reslab "), "\(outcome.stdout)")
        }
    }

    @Test func badPeerOptionsAreSentences() throws {
        let folder = try ReslabBinary.temporaryFolder("e2e-bench")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let python = try ReslabBinary.run(["bench", "train", "--threads", "1", "--sizes", "16", "--seconds", "0.05",
                                           "--python", "/nonexistent/python"], in: folder)
        #expect(python.status != 0)
        #expect(python.stderr.contains("--python /nonexistent/python cannot run the peer: missing. Pass a Python that has it"), "\(python.stderr)")
        let model = try ReslabBinary.run(["bench", "onnx", "--model", "missing.onnx"], in: folder)
        #expect(model.status != 0)
        #expect(model.stderr.contains("--model missing.onnx does not exist; pass an ONNX file, or leave --model out for a generated model (--generated)."),
                "\(model.stderr)")
        let onnxFile = folder + "/model.onnx"
        FileManager.default.createFile(atPath: onnxFile, contents: Data())
        let both = try ReslabBinary.run(["bench", "onnx", "--model", onnxFile, "--generated", "mobilenet-v2"], in: folder)
        #expect(both.status != 0 && both.stderr.contains("--model \(onnxFile) and --generated mobilenet-v2 both name the model; pass one of them."),
                "\(both.stderr)")
        let generated = try ReslabBinary.run(["bench", "onnx", "--generated", "mobilenet-v3"], in: folder)
        #expect(generated.status != 0 && generated.stderr.contains("'mobilenet-v3'") && generated.stderr.contains("one of 'resnet-18' and 'mobilenet-v2'"),
                "\(generated.stderr)")
        let rounds = try ReslabBinary.run(["bench", "onnx", "--rounds", "0"], in: folder)
        #expect(rounds.status != 0 && rounds.stderr.contains("--rounds must be at least 1, not 0."), "\(rounds.stderr)")
        let kind = try ReslabBinary.run(["bench", "train", "--model", "resnet-50"], in: folder)
        #expect(kind.status != 0 && kind.stderr.contains("'resnet-50'"), "\(kind.stderr)")
    }
}
