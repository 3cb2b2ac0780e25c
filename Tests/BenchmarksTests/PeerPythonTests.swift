import Foundation
import Testing
import TestSupport
@testable import Benchmarks

/// How the peers' Python is found: --python, RESLAB_PEER_PYTHON, the checkout's .venv-peers,
/// python3 on PATH, else a sentence; fake interpreters are shell scripts that accept or refuse
/// every `-c "import …"`.
struct PeerPythonTests {
    /// A folder with `works` (exits 0) and `fails` (prints a Python-style error, exits 1).
    private func fakes() throws -> String {
        let folder = NSTemporaryDirectory() + "reslab-peerpython-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, body) in [("works", "exit 0"), ("fails", "echo \"ModuleNotFoundError: No module named 'jax'\" >&2; exit 1")] {
            #expect(writeExecutableScript("#!/bin/sh\n\(body)\n", to: folder + "/" + name))
        }
        return folder
    }

    @Test func candidatesAreTriedInOrder() throws {
        let folder = try fakes()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The variable wins over the venv when it works …
        let variable = try PeerPython.find(option: nil, modules: ["jax"], peer: "JAX",
                                           environment: ["RESLAB_PEER_PYTHON": folder + "/works", "PATH": ""], venv: folder + "/works").get()
        #expect(variable == PeerPython(path: folder + "/works", origin: "RESLAB_PEER_PYTHON"))
        // … and is passed over when it cannot import the modules.
        let venv = try PeerPython.find(option: nil, modules: ["jax"], peer: "JAX",
                                       environment: ["RESLAB_PEER_PYTHON": folder + "/fails", "PATH": ""], venv: folder + "/works").get()
        #expect(venv.origin == ".venv-peers")
        // python3 on PATH comes last.
        #expect(writeExecutableScript("#!/bin/sh\nexit 0\n", to: folder + "/python3"))
        let onPath = try PeerPython.find(option: nil, modules: ["jax"], peer: "JAX", environment: ["PATH": "/nonexistent:" + folder],
                                         venv: folder + "/missing").get()
        #expect(onPath == PeerPython(path: folder + "/python3", origin: "PATH"))
    }

    @Test func noCandidateSaysWhyAndHowToGetOne() throws {
        let folder = try fakes()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try PeerPython.find(option: nil, modules: ["numpy", "jax"], peer: "JAX",
                                         environment: ["RESLAB_PEER_PYTHON": folder + "/fails", "PATH": "/nonexistent"],
                                         venv: folder + "/missing")
        guard case let .failure(unavailable) = result else { Issue.record("found \(result)"); return }
        #expect(unavailable.description == """
            The JAX peer is skipped: no Python here imports numpy, jax (tried RESLAB_PEER_PYTHON \(folder)/fails: \
            ModuleNotFoundError: No module named 'jax'; .venv-peers \(folder)/missing: missing; no python3 on PATH). \
            Run scripts/peers-venv.sh to make .venv-peers with the pinned peers, or pass --python or set RESLAB_PEER_PYTHON.
            """)
    }

    @Test func anUnusableOptionIsAnError() throws {
        let folder = try fakes()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: BenchmarkError.unusablePython(path: folder + "/fails", reason: "ModuleNotFoundError: No module named 'jax'")) {
            _ = try PeerPython.find(option: folder + "/fails", modules: ["jax"], peer: "JAX", environment: [:], venv: folder + "/works")
        }
        #expect(BenchmarkError.unusablePython(path: "/x/python", reason: "missing").description == """
            --python /x/python cannot run the peer: missing. Pass a Python that has it (scripts/peers-venv.sh makes one in \
            .venv-peers), or leave --python out.
            """)
    }

    @Test func peerScriptsAreInTheCheckout() {
        for script in ["numpy_cnn.py", "ort_infer.py", "onnx_models.py", "jax_resnet20.py", "numpy_gemm.py", "pil_decode.py", "peer_common.py"] {
            #expect(FileManager.default.fileExists(atPath: PeerScript.folder.appendingPathComponent(script).path), "\(script)")
        }
    }
}
