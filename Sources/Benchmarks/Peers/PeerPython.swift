import Foundation

/// The Python interpreter that runs a peer script, found without hard-coded paths. Candidates,
/// in order: `--python` (an error when it cannot import the peer's modules: the user asked for
/// it), the `RESLAB_PEER_PYTHON` environment variable, the checkout's `.venv-peers` (made by
/// `scripts/peers-venv.sh`), then `python3` on PATH. The first that imports every module the
/// peer needs wins; when none does, the peer is skipped with `PeerPython.Unavailable`'s sentence.
public struct PeerPython: Sendable, Equatable {
    /// The interpreter's path.
    public var path: String
    /// Where it was found, for the record ("--python", "RESLAB_PEER_PYTHON", ".venv-peers", "PATH").
    public var origin: String

    /// Why no Python can run a peer, as one sentence that says how to get one.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public var peer: String
        public var modules: [String]
        /// One "<candidate>: <why not>" per candidate tried.
        public var tried: [String]

        public var description: String {
            "The \(peer) peer is skipped: no Python here imports \(modules.joined(separator: ", ")) (tried \(tried.joined(separator: "; "))). "
                + "Run scripts/peers-venv.sh to make .venv-peers with the pinned peers, or pass --python or set RESLAB_PEER_PYTHON."
        }
    }

    /// The checkout's peer venv interpreter (`scripts/peers-venv.sh` creates it).
    public static let projectVenv = PeerScript.folder.appendingPathComponent("../../.venv-peers/bin/python").standardized.path

    /// The first candidate that imports `modules`; `.failure` names every candidate and why it
    /// failed. Throws `BenchmarkError.unusablePython` when `option` (--python) is given but unusable.
    public static func find(option: String?, modules: [String], peer: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            venv: String = projectVenv) throws -> Result<PeerPython, Unavailable> {
        if let option {
            if let reason = problem(python: option, modules: modules) { throw BenchmarkError.unusablePython(path: option, reason: reason) }
            return .success(PeerPython(path: option, origin: "--python"))
        }
        var candidates: [(path: String, origin: String)] = []
        if let variable = environment["RESLAB_PEER_PYTHON"], !variable.isEmpty { candidates.append((variable, "RESLAB_PEER_PYTHON")) }
        candidates.append((venv, ".venv-peers"))
        if let onPath = executableOnPath("python3", path: environment["PATH"] ?? "") { candidates.append((onPath, "PATH")) }
        var tried: [String] = []
        for candidate in candidates {
            guard let reason = problem(python: candidate.path, modules: modules) else {
                return .success(PeerPython(path: candidate.path, origin: candidate.origin))
            }
            tried.append("\(candidate.origin) \(candidate.path): \(reason)")
        }
        if !candidates.contains(where: { $0.origin == "PATH" }) { tried.append("no python3 on PATH") }
        return .failure(Unavailable(peer: peer, modules: modules, tried: tried))
    }

    /// Nil when `python` runs and imports `modules`, else why not ("missing", "No module named 'jax'").
    static func problem(python: String, modules: [String]) -> String? {
        guard FileManager.default.isExecutableFile(atPath: python) else { return "missing" }
        let run: CapturedRun
        do { run = try runCapturing(python, ["-c", "import " + modules.joined(separator: ", ")]) } catch {
            return "does not start (\(error.localizedDescription))"
        }
        if let signal = run.signal { return "killed by signal \(signal)" }
        return run.status == 0 ? nil : (run.lastErrorLine.isEmpty ? "exit status \(run.status)" : run.lastErrorLine)
    }

    /// The first executable `name` in the colon-separated `path`.
    static func executableOnPath(_ name: String, path: String) -> String? {
        path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
