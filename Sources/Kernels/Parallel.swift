import Dispatch
import Foundation
import Synchronization

/// How many threads the kernels may use, and parallel loops over them.
///
/// Work is cut into chunks that the threads take one at a time from a shared atomic counter as
/// they finish the previous one (dynamic distribution), never split into fixed halves: when one
/// thread is delayed (another process holds its core) the other takes the chunks it has not
/// started, so a step waits at most for one chunk, not for half the work. What each chunk
/// computes is decided by the caller alone, never by which thread takes it or when, so results
/// do not depend on the thread count or the timing.
public enum Parallel {
    /// The number of worker threads (default: `availableCPUs`). Set it once, before work starts
    /// (e.g. from `--threads`); 1 runs every loop on the calling thread.
    nonisolated(unsafe) public static var threadCount = availableCPUs

    /// How many CPUs this process may use: its affinity (the machine, or what `taskset` or a
    /// Slurm job's cpuset allows; Foundation's `activeProcessorCount` counts the whole machine
    /// even then), or the processor count where the affinity cannot be read.
    public static var availableCPUs: Int {
        CPUAffinity.processCPUs.isEmpty ? ProcessInfo.processInfo.activeProcessorCount : CPUAffinity.processCPUs.count
    }

    /// The number of workers a loop of `chunks` chunks would run on now, at most `limit`: 1 with
    /// one thread, one chunk, or inside another parallel loop (whose threads are already busy).
    public static func workers(for chunks: Int, limit: Int = .max) -> Int {
        NestingFlag.isSet ? 1 : max(1, min(threadCount, chunks, limit))
    }

    /// How long a helper thread spins for the next loop before it sleeps, in seconds (a benchmark
    /// waits twice this long, untimed, where spinning helpers would share a CPU with what it times
    /// next).
    public static var helperSpinSeconds: Double { Double(HelperPool.spinNanoseconds) / 1e9 }

    /// Runs `body(worker, chunk)` once for every `chunk` in `0..<chunks` and returns when all are
    /// done. `workers(for: chunks, limit: maxWorkers)` workers (numbered from 0) take the chunks
    /// in increasing order from an atomic counter, each as soon as it has finished its previous
    /// one; a worker runs one chunk at a time, so per-worker scratch memory indexed by `worker` is
    /// never shared. With two or more workers a `Parallel` loop or GEMM called from inside `body`
    /// runs inline on its worker. With one worker the chunks run in order on the calling thread,
    /// as worker 0, and set no nesting flag: a loop or GEMM called from `body` runs as it would
    /// outside (on every thread, unless the caller is itself inside a parallel loop).
    public static func forChunks(_ chunks: Int, maxWorkers: Int = .max, _ body: (_ worker: Int, _ chunk: Int) -> Void) {
        forChunks(chunks, workers: workers(for: chunks, limit: maxWorkers), body)
    }

    /// `forChunks` on exactly `workers` workers (inline when 1).
    static func forChunks(_ chunks: Int, workers: Int, _ body: (_ worker: Int, _ chunk: Int) -> Void) {
        guard workers > 1 else {
            for chunk in 0..<chunks { body(0, chunk) }
            return
        }
        if HelperPool.shared.run(chunks: chunks, workers: workers, body) { return }
        // More workers than the pool has helpers (a thread count above the processor count): Dispatch's threads.
        // Relaxed ordering suffices: the counter only hands out indices; the results a chunk
        // writes are published to the caller by concurrentPerform's completion.
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            takeChunks(next, chunks: chunks, worker: worker, body)
        }
    }

    /// Runs `body(worker, chunk)` for the chunks below `chunks` that `worker` takes from the
    /// shared counter `next`, one at a time until none is left, with the nesting flag set.
    static func takeChunks(_ next: borrowing Atomic<Int>, chunks: Int, worker: Int, _ body: (_ worker: Int, _ chunk: Int) -> Void) {
        let nested = NestingFlag.isSet
        NestingFlag.isSet = true
        while true {
            let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard chunk < chunks else { break }
            body(worker, chunk)
        }
        NestingFlag.isSet = nested
    }

    /// Starts the persistent helper threads for `threadCount` workers now (they start with the
    /// first parallel loop that needs them otherwise). The pool reads the CPUs the process may
    /// use, where it places a loop's workers one per CPU, when it is first used: a benchmark that
    /// pins its main thread for one-thread rows calls this first.
    public static func startHelperThreads() {
        HelperPool.shared.start(upTo: threadCount - 1)
    }

    /// Runs `body(worker, range)` over `0..<count` cut into consecutive ranges of `chunkSize`
    /// items (the last one shorter), taken dynamically as in `forChunks`.
    public static func forChunks(
        _ count: Int, chunkSize: Int, maxWorkers: Int = .max, _ body: (_ worker: Int, _ range: Range<Int>) -> Void
    ) {
        precondition(chunkSize >= 1, "Parallel.forChunks: chunk size \(chunkSize) < 1")
        forChunks((count + chunkSize - 1) / chunkSize, maxWorkers: maxWorkers) { worker, chunk in
            body(worker, chunk * chunkSize..<min(count, (chunk + 1) * chunkSize))
        }
    }

    /// Splits `0..<count` into at most `threadCount` contiguous ranges of near-equal size and runs
    /// `body(range)` for each in parallel (one range per worker: for callers that set up
    /// per-range state, e.g. a resize workspace).
    public static func forRanges(_ count: Int, _ body: (Range<Int>) -> Void) {
        let parts = max(1, min(threadCount, count))
        forChunks(parts) { _, part in
            body((count * part / parts)..<(count * (part + 1) / parts))
        }
    }
}

/// A per-thread flag set while a thread runs a chunk of a `Parallel` loop, so that a kernel
/// called from inside one (e.g. a GEMM on one block of a convolution) runs on its own thread
/// instead of dispatching a second, nested loop onto threads that are already busy.
enum NestingFlag {
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
