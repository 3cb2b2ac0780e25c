import Foundation
import NN

/// The peers `reslab bench train` and `bench onnx` run, each a script in `scripts/peers/`.
public enum Peers {
    /// OpenBLAS's runtime detection does not know AMD Zen 4/5 and picks AVX2 kernels (half the
    /// speed); SkylakeX selects its AVX-512 ones, the stronger peer. Only where the CPU has
    /// AVX-512 (`avx512f`): on an AVX2 CPU SkylakeX's kernels die with SIGILL, and OpenBLAS's own
    /// choice there (Haswell) is already its best.
    static let openBLAS = openBLASEnvironment(cpuFlags: MachineInfo.current().cpuFlags)

    /// The environment for OpenBLAS on a CPU with `cpuFlags` (/proc/cpuinfo's `flags`).
    static func openBLASEnvironment(cpuFlags: Set<String>) -> [String: String] {
        cpuFlags.contains("avx512f") ? ["OPENBLAS_CORETYPE": "SkylakeX"] : [:]
    }

    /// How the numpy peer's OpenBLAS kernels are chosen, for the benchmark's header.
    public static var openBLASChoice: String {
        openBLAS["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE=\($0)" } ?? "OpenBLAS's own kernel choice (no AVX-512)"
    }

    /// Python modules each peer imports.
    public static let numpyModules = ["numpy", "threadpoolctl"]
    public static let onnxRuntimeModules = ["numpy", "onnx", "onnxruntime"]
    public static let jaxModules = ["numpy", "jax"]

    /// numpy + OpenBLAS training of the reference CNN (`numpy_cnn.py`), serving windows.
    public static func numpyCNNTraining(_ python: PeerPython, threads: Int, batch: Int, size: Int, seconds: Double) throws -> PeerWindows {
        try PeerScript(name: "numpy_cnn.py", python: python).serve(
            ["--threads", "\(threads)", "--batch", "\(batch)", "--size", "\(size)", "--seconds", "\(seconds)"], environment: openBLAS)
    }

    /// JAX training of the zoo's resnet-20 (`jax_resnet20.py`), serving windows.
    public static func jaxResNet20Training(_ python: PeerPython, threads: Int, batch: Int, size: Int, seconds: Double) throws -> PeerWindows {
        try PeerScript(name: "jax_resnet20.py", python: python).serve(
            ["--threads", "\(threads)", "--batch", "\(batch)", "--size", "\(size)", "--seconds", "\(seconds)"])
    }

    /// ONNX Runtime inference of `model` at `size` (`ort_infer.py`), serving windows.
    public static func onnxRuntimeInference(_ python: PeerPython, model: String, threads: Int, batch: Int, size: Int,
                                            seconds: Double) throws -> PeerWindows {
        try PeerScript(name: "ort_infer.py", python: python).serve(
            ["--model", model, "--threads", "\(threads)", "--batch", "\(batch)", "--size", "\(size)", "--seconds", "\(seconds)"],
            environment: openBLAS)
    }

    /// ONNX Runtime's logits of `model` for `images` (NHWC, as reslab's engine takes them;
    /// `ort_logits.py` runs them in NCHW on one thread), through two files in a fresh temporary
    /// folder that is removed afterwards.
    public static func onnxRuntimeLogits(_ python: PeerPython, model: String, images: Tensor) throws -> [Float] {
        let script = PeerScript(name: "ort_logits.py", python: python)
        try script.checkExists()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reslab-logits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("images.f32"), output = folder.appendingPathComponent("logits.f32")
        try images.values.withUnsafeBytes { try Data($0).write(to: input) }
        let shape = images.shape
        _ = try runCapturingOutput(python.path, [script.path, "--model", model, "--batch", "\(shape[0])", "--size", "\(shape[1])",
                                                 "--channels", "\(shape[3])", "--input", input.path, "--output", output.path])
        let bytes = try Data(contentsOf: output)
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The ONNX models both sides time (`onnx_models.py`: "reference-cnn", "resnet-18",
    /// "mobilenet-v2"), written
    /// once into `BenchCache.folder` and reused; returns the file's path.
    public static func onnxModel(_ kind: String, python: PeerPython) throws -> String {
        let path = BenchCache.folder.appendingPathComponent("\(kind).onnx").path
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        try FileManager.default.createDirectory(at: BenchCache.folder, withIntermediateDirectories: true)
        let partial = path + ".partial"
        _ = try runCapturingOutput(python.path, [PeerScript.folder.appendingPathComponent("onnx_models.py").path, kind, partial])
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return path
    }
}

/// Where generated benchmark inputs are kept between runs: `$XDG_CACHE_HOME/reslab/bench`, else
/// `~/.cache/reslab/bench` (ResNet-18's ONNX file is 47 MB: too large for the repository).
public enum BenchCache {
    public static var folder: URL {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("reslab/bench")
    }
}

extension Peers {
    /// numpy + OpenBLAS SGEMM on `shape` (`numpy_gemm.py`): the best seconds per multiply for
    /// each thread count.
    public static func numpyGEMMTimes(_ python: PeerPython, shape: GEMMShape, threads: [Int], samples: Int) throws -> [Int: Double] {
        let spec = "\(shape.m),\(shape.n),\(shape.k)" + (shape.transposeA ? ",tA" : "") + (shape.transposeB ? ",tB" : "")
        struct Line: Decodable { var threads: Int; var best: Double }
        let lines = try PeerScript(name: "numpy_gemm.py", python: python).run(
            ["--samples", "\(samples)"] + threads.flatMap { ["--threads", "\($0)"] } + [spec], environment: openBLAS, as: Line.self)
        return Dictionary(lines.map { ($0.threads, $0.best) }) { $1 }
    }
}
