import Dispatch
import Foundation

/// How many threads the kernels may use, and a parallel loop over them.
public enum Parallel {
    /// The number of worker threads (default: the active processor count). Set it once, before
    /// work starts (e.g. from `--threads`); 1 runs every loop on the calling thread.
    nonisolated(unsafe) public static var threadCount = ProcessInfo.processInfo.activeProcessorCount

    /// Runs `body(chunk)` for `chunk` in `0..<chunks` on up to `threadCount` threads and returns
    /// when all are done. With one thread (or one chunk) it runs inline, in order.
    @inlinable
    public static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
        if threadCount <= 1 || chunks <= 1 {
            for chunk in 0..<chunks { body(chunk) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
        }
    }

    /// Splits `0..<count` into at most `threadCount` contiguous ranges of near-equal size and runs
    /// `body(range)` for each in parallel.
    @inlinable
    public static func forRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threadCount, count))
        forEach(parts) { part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }
}
