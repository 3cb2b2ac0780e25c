import Dispatch

/// `(0..<count).map(body)` on `threadCount` threads (`DispatchQueue.concurrentPerform`), in order.
///
/// Work is interleaved (worker w computes w, w + T, w + 2T, …), which balances well when items
/// cost about the same, as the files of one dataset do.
func parallelMap<T>(_ count: Int, threadCount: Int, _ body: (Int) -> T) -> [T] {
    precondition(threadCount >= 1, "threadCount must be at least 1, not \(threadCount)")
    var results = [T?](repeating: nil, count: count)
    let workers = min(threadCount, max(1, count))
    results.withUnsafeMutableBufferPointer { slots in
        // Each worker writes only its own slots, so the shared buffer needs no lock.
        nonisolated(unsafe) let output = slots
        withoutActuallyEscaping(body) { body in
            let work: (Int) -> Void = { worker in
                for index in stride(from: worker, to: count, by: workers) { output[index] = body(index) }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
    }
    return results.map { $0! }
}
