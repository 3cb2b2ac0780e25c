import Foundation
import Testing
import TestSupport
@testable import Benchmarks

/// `PeerWindows`, the client side of a peer's `--serve`: the real protocol of
/// scripts/peers/peer_common.py, and a sentence naming the command when a peer fails.
struct PeerWindowsTests {
    /// peer_common's `report_windows` under `--serve`, driven by PeerWindows: a ready line after
    /// the warm-up, then one window per request, each at least `--seconds` of calls.
    @Test func servesOneWindowPerRequest() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            Fixtures.skip("no /usr/bin/python3 to run scripts/peers/peer_common.py")
            return
        }
        let folder = try ReslabBinary.temporaryFolder("peer-windows")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let calls = folder + "/calls"
        let code = """
            import argparse, sys, time
            sys.path.insert(0, \"\(PeerScript.folder.path)\")
            from peer_common import add_window_arguments, report_windows
            parser = argparse.ArgumentParser()
            add_window_arguments(parser, seconds=0.5)
            args = parser.parse_args()
            def call():
                time.sleep(0.01)
                open(\"\(calls)\", \"a\").write(\"x\")
            report_windows(args, call, 4, threads=1)
            """
        let peer = try PeerWindows(executable: "/usr/bin/python3", arguments: ["-c", code, "--seconds", "0.05", "--serve"])
        let warmUp = try String(contentsOfFile: calls, encoding: .utf8).count
        #expect(warmUp == 2, "two warm-up calls before the ready line")
        let first = try peer.window(), second = try peer.window()
        for rate in [first, second] {
            // 4 images per call of ≥ 10 ms: at most 400 img/s; the sleeping process uses little CPU.
            #expect(rate.wall > 50 && rate.wall <= 400 && rate.cpu > rate.wall, "\(rate)")
        }
        // Each window repeats the call until 50 ms have passed: at least 5 calls of 10 ms each.
        let afterTwo = try String(contentsOfFile: calls, encoding: .utf8).count
        #expect(afterTwo - warmUp >= 10 && afterTwo - warmUp <= 14, "\(afterTwo - warmUp) calls in two windows")
        peer.close()
    }

    /// A peer whose threads keep spinning after its window (as OpenBLAS's do for about 0.1 s) is
    /// waited for, so the spinning does not run into reslab's next window. The spin is ~0.1 s
    /// of shell loop on a free core, far longer than a window's return without the wait; the wait
    /// looks at the threads' states, so a spinner that other processes keep off the cores (CI's
    /// parallel tests on 2 cores) still counts as busy, and the test allows 30 s for a spin that
    /// such a load stretches (a window must still end long before that: as soon as the peer idles).
    @Test func aWindowEndsWhenThePeerIsIdle() throws {
        let folder = try ReslabBinary.temporaryFolder("peer-windows")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spinner = folder + "/spinner"
        #expect(writeExecutableScript("""
            #!/bin/sh
            echo '{"ready": true}'
            while read -r line; do
              echo '{"images_per_s": 10, "images_per_cpu_s": 10}'
              i=0
              while [ $i -lt 50000 ]; do i=$((i + 1)); done
              echo spun > \(folder)/done
            done
            """, to: spinner))
        let peer = try PeerWindows(executable: spinner, arguments: [], idleWaitLimit: 30)
        let start = Date()
        _ = try peer.window()
        #expect(FileManager.default.fileExists(atPath: folder + "/done"), "window() returned while the peer still spun")
        #expect(Date().timeIntervalSince(start) < 15, "window() waited \(Date().timeIntervalSince(start)) s for a peer that idles after ~0.1 s")
        peer.close()
    }

    @Test func failuresNameTheCommand() throws {
        let folder = try ReslabBinary.temporaryFolder("peer-windows")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scripts = [
            ("missing-module", "echo \"ModuleNotFoundError: No module named 'onnxruntime'\" >&2; exit 1"),
            ("garbage", "echo 'Traceback? no JSON'; exec sleep 60"),
            ("dies", "echo '{\"ready\": true}'; read -r line; echo 'Killed by a bug' >&2; exit 3"),
        ]
        for (name, body) in scripts { #expect(writeExecutableScript("#!/bin/sh\n\(body)\n", to: "\(folder)/\(name)")) }
        #expect(throws: BenchmarkError.commandFailed(command: "A=1 \(folder)/missing-module --serve", status: 1,
                                                     lastError: "ModuleNotFoundError: No module named 'onnxruntime'")) {
            _ = try PeerWindows(executable: "\(folder)/missing-module", arguments: ["--serve"], environment: ["A": "1"])
        }
        // This one goes on after its line, ignoring its input: it is terminated, not waited for (60 s).
        let start = Date()
        #expect(throws: BenchmarkError.unreadablePeerOutput(script: "\(folder)/garbage", line: "Traceback? no JSON")) {
            _ = try PeerWindows(executable: "\(folder)/garbage", arguments: [])
        }
        #expect(Date().timeIntervalSince(start) < 30)
        let dies = try PeerWindows(executable: "\(folder)/dies", arguments: [])
        #expect(throws: BenchmarkError.commandFailed(command: "\(folder)/dies", status: 3, lastError: "Killed by a bug")) {
            _ = try dies.window()
        }
        // Asked again after it has gone, the peer is still reported, not a SIGPIPE.
        #expect(throws: BenchmarkError.self) { _ = try dies.window() }
    }
}
