// swift-tools-version:6.0
import PackageDescription
import Foundation

/// The CPU the numeric targets are compiled for. SIMD FMAs become calls to scalar `fmaf` without
/// a target CPU (200× slower, see README "Build settings"), so the default is `native`: the
/// binary runs on the machine that built it. Set `RESLAB_TARGET_CPU` to build for another CPU,
/// e.g. `znver4`, `skylake-avx512` (AVX-512) or `haswell` (AVX2, runs almost everywhere).
let targetCPU = ProcessInfo.processInfo.environment["RESLAB_TARGET_CPU"] ?? "native"

/// Settings for every Swift target: the target CPU, and Swift 5 language mode because the
/// kernels share raw buffers across `DispatchQueue.concurrentPerform` workers. In release also
/// `-enable-testing` (what `@testable import` needs), so that `swift build -c release`
/// (scripts/quickstart.sh) compiles each module exactly as `swift test -c release
/// --disable-testable-imports` (scripts/test.sh) does and the tests reuse the build: SwiftPM's
/// own switch, on in `swift test`, puts the flag elsewhere in the command line, which makes every
/// module compile twice.
let cpuFlags: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", targetCPU]),
    .unsafeFlags(["-enable-testing"], .when(configuration: .release)),
]

/// Whether the target CPU has AVX-512 (32 vector registers of 16 floats). The GEMM micro-kernel's
/// 8 × 32 tile keeps 16 `SIMD16<Float>` accumulators in registers only there; for any other target
/// (AVX2's 16 registers of 8 floats, where that tile spilled: a third of the FMA peak) Kernels computes
/// the tile in 6 × 16, 2 × 32 and 4 × 16 parts (docs/kernels.md, "The AVX2 tile"). `native` asks the
/// building machine (/proc/cpuinfo's flags); a named CPU is looked up among the AVX-512 ones.
let targetHasAVX512: Bool = {
    if targetCPU == "native" {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").contains("avx512f") ?? false
    }
    let avx512CPUs: Set<String> = ["znver4", "znver5", "skylake-avx512", "cascadelake", "cooperlake", "cannonlake",
                                   "icelake-client", "icelake-server", "tigerlake", "rocketlake", "sapphirerapids",
                                   "emeraldrapids", "graniterapids", "graniterapids-d", "x86-64-v4"]
    return avx512CPUs.contains(targetCPU)
}()

/// Hot-loop targets additionally drop overflow and bounds checks in release builds: they take
/// their pointers once and validate shapes at their API boundary (measured: GEMM 259 → 265 GFLOP/s).
let kernelFlags: [SwiftSetting] = cpuFlags + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
    + (targetHasAVX512 ? [.define("RESLAB_AVX512")] : [])

let package = Package(
    name: "reslab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "reslab", targets: ["reslab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // System libraries and the C shim that catches their longjmp errors.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .target(name: "CImageShim", dependencies: ["CPNG", "CJPEG"]),

        // Library modules, one job each.
        .target(name: "ImageIO", dependencies: ["CImageShim"], swiftSettings: cpuFlags),
        .target(name: "Resample", dependencies: ["ImageIO"], swiftSettings: kernelFlags),
        .target(name: "Kernels", swiftSettings: kernelFlags),
        .target(name: "SeededRandom", swiftSettings: cpuFlags),
        .target(name: "NN", dependencies: ["Kernels", "SeededRandom"], swiftSettings: cpuFlags),
        .target(name: "Stats", dependencies: ["SeededRandom"], swiftSettings: cpuFlags),
        .target(name: "Datasets", dependencies: ["ImageIO", "Resample", "SeededRandom"], swiftSettings: cpuFlags),
        .target(name: "Report", dependencies: ["Stats", "NN", "Resample"], swiftSettings: cpuFlags),
        .target(name: "ONNX", dependencies: ["NN", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Generated/README.md"], swiftSettings: cpuFlags),
        .target(
            name: "Experiment",
            dependencies: ["ImageIO", "Resample", "NN", "Stats", "Datasets", "Report", "ONNX", "Yams"],
            swiftSettings: cpuFlags),
        // Speed measurements and the Python peers timed beside them (`reslab bench …`).
        .target(name: "Benchmarks", dependencies: ["ImageIO", "Resample", "Kernels", "NN", "SeededRandom", "Datasets", "Experiment", "ONNX"],
                swiftSettings: cpuFlags),

        // The thin command-line front end.
        .executableTarget(
            name: "reslab",
            dependencies: [
                "ImageIO", "Resample", "NN", "Datasets", "Experiment", "Report", "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: cpuFlags),

        // Tests mirror the targets.
        .target(name: "TestSupport", dependencies: ["ImageIO"], path: "Tests/TestSupport", swiftSettings: cpuFlags),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "SeededRandom", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "ResampleTests", dependencies: ["Resample", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "NNTests", dependencies: ["NN", "SeededRandom", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "StatsTests", dependencies: ["Stats", "SeededRandom", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "ONNXTests", dependencies: ["ONNX", "NN", "SeededRandom", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Resample", "SeededRandom", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "ExperimentTests", dependencies: ["Experiment", "Datasets", "ImageIO", "NN", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "EndToEndTests", dependencies: ["reslab", "ImageIO", "Kernels", "TestSupport"], swiftSettings: cpuFlags),
        .testTarget(name: "SlurmTests", dependencies: ["Experiment", "reslab", "TestSupport"], swiftSettings: cpuFlags),
    ],
    swiftLanguageModes: [.v5]
)
