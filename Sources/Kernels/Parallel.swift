import Dispatch
import Foundation

/// How many threads the kernels may use, and a parallel loop over them.
public enum Parallel {
    /// The number of worker threads (default: the active processor count). Set it once, before
    /// work starts (e.g. from `--threads`); 1 runs every loop on the calling thread.
    nonisolated(unsafe) public static var threadCount = ProcessInfo.processInfo.activeProcessorCount

    /// Runs `body(chunk)` for `chunk` in `0..<chunks` on up to `threadCount` threads and returns
    /// when all are done. With one thread or one chunk, or when called from inside another
    /// parallel loop (whose threads are already busy), it runs inline, in order.
    public static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
        if threadCount <= 1 || chunks <= 1 || NestingFlag.isSet {
            for chunk in 0..<chunks { body(chunk) }
        } else {
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                NestingFlag.isSet = true
                body(chunk)
                NestingFlag.isSet = false
            }
        }
    }

    /// Splits `0..<count` into at most `threadCount` contiguous ranges of near-equal size and runs
    /// `body(range)` for each in parallel.
    public static func forRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threadCount, count))
        forEach(parts) { part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }
}

/// A per-thread flag set while a thread runs a chunk of a `Parallel` loop, so that a kernel
/// called from inside one (e.g. a GEMM on one block of a convolution) runs on its own thread
/// instead of dispatching a second, nested loop onto threads that are already busy.
private enum NestingFlag {
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static var isSet: Bool {
        get { pthread_getspecific(key) != nil }
        set { pthread_setspecific(key, newValue ? UnsafeRawPointer(bitPattern: 1) : nil) }
    }
}
