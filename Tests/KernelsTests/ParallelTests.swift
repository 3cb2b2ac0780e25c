import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Kernels

/// `Parallel.forChunks`: every chunk runs once, on a worker numbered below the worker count, and
/// chunks are handed out dynamically (a stalled worker does not keep the others from the rest of
/// the work), also across the helper pool's back-to-back loops, concurrent callers and sleeps. Serialized: the stalled-worker test needs a second dispatch thread, and the suite's
/// other tests should not compete for it.
@Suite(.serialized) struct ParallelTests {
    /// 1000 chunks on 1, 2 and 3 workers: each chunk runs exactly once, and every worker id is
    /// below the worker count (per-worker scratch is indexed by it).
    @Test(arguments: [1, 2, 3])
    func everyChunkRunsOnceOnAWorkerBelowTheCount(_ workers: Int) {
        let chunks = 1000
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0, count: chunks)
        let badWorkers = Atomic<Int>(0)
        Parallel.forChunks(chunks, workers: workers) { worker, chunk in
            guard (0..<workers).contains(worker) else {
                badWorkers.wrappingAdd(1, ordering: .relaxed)
                return
            }
            runs[chunk] += 1
        }
        #expect((0..<chunks).allSatisfy { runs[$0] == 1 })
        #expect(badWorkers.load(ordering: .relaxed) == 0)
    }

    /// Chunk 0 blocks on a semaphore that the worker finishing the last of chunks 1..<20 signals
    /// (it gives up after 120 s, however late the second dispatch thread starts). With fixed
    /// halves chunks 1..<10 would belong to chunk 0's worker and could not run while it waits, so
    /// the wait would time out; taken dynamically, the other worker does all of them.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aStalledWorkerLeavesTheRestToTheOther() {
        let chunks = 20
        let done = Atomic<Int>(0)
        let othersDone = DispatchSemaphore(value: 0)
        let signalled = Atomic<Bool>(false)
        let workerOf = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { workerOf.deallocate() }
        Parallel.forChunks(chunks, workers: 2) { worker, chunk in
            workerOf[chunk] = worker
            if chunk == 0 {
                signalled.store(othersDone.wait(timeout: .now() + 120) == .success, ordering: .relaxed)
            } else if done.wrappingAdd(1, ordering: .relaxed).newValue == chunks - 1 {
                othersDone.signal()
            }
        }
        let othersRanWhileChunk0Waited = signalled.load(ordering: .relaxed)
        #expect(othersRanWhileChunk0Waited, "chunks 1..<\(chunks) did not all run while chunk 0 waited")
        let stalled = workerOf[0]
        #expect((1..<chunks).allSatisfy { workerOf[$0] != stalled }, "the stalled worker also ran other chunks")
    }

    /// A loop inside a loop runs inline on the calling worker, in order, as worker 0.
    @Test func aNestedLoopRunsInline() {
        let order = Mutex<[[Int]]>([])
        Parallel.forChunks(4, workers: 2) { _, outer in
            var inner: [Int] = []
            Parallel.forChunks(5, maxWorkers: 2) { worker, chunk in inner.append(worker * 100 + chunk) }
            order.withLock { $0.append([outer] + inner) }
        }
        let rows = order.withLock { $0 }.sorted { $0[0] < $1[0] }
        #expect(rows == (0..<4).map { [$0, 0, 1, 2, 3, 4] })
    }

    /// 20,000 loops back to back on 2 workers (the helper pool's generations, opened and closed
    /// while the helper may still be joining the last one): every chunk of every loop runs once.
    @Test func backToBackLoopsRunEveryChunkOnce() {
        let loops = 20_000, chunks = 4
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: loops * chunks)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0, count: loops * chunks)
        let byHelper = Atomic<Int>(0)
        for loop in 0..<loops {
            Parallel.forChunks(chunks, workers: 2) { worker, chunk in
                // About a microsecond of work, so that the helper joins some loops mid-way.
                var sum = 0.0
                for i in 0..<500 { sum += Double(i ^ chunk) }
                runs[loop * chunks + chunk] += sum > 0 ? 1 : 2
                if worker == 1 { byHelper.wrappingAdd(1, ordering: .relaxed) }
            }
        }
        #expect((0..<loops * chunks).allSatisfy { runs[$0] == 1 })
        let helperChunks = byHelper.load(ordering: .relaxed)
        #expect(ProcessInfo.processInfo.activeProcessorCount < 2 || helperChunks > 0, "the second worker never ran a chunk")
    }

    /// Two threads running loops at once (their loops take turns with the helper pool): both
    /// finish and every chunk runs once.
    @Test func twoCallersAtOnceBothFinish() {
        let loops = 500, chunks = 8
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: 2 * loops * chunks)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0, count: 2 * loops * chunks)
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for loop in 0..<loops {
                Parallel.forChunks(chunks, workers: 2) { _, chunk in runs[(caller * loops + loop) * chunks + chunk] += 1 }
            }
        }
        #expect((0..<2 * loops * chunks).allSatisfy { runs[$0] == 1 })
    }

    /// After a pause long enough for the helper to stop spinning and sleep, the next loop wakes
    /// it: chunk 0 (the caller's, or the helper's) waits until chunks 1..<10 have run elsewhere.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aSleepingHelperWakesForTheNextLoop() {
        Parallel.forChunks(2, workers: 2) { _, _ in }
        Thread.sleep(forTimeInterval: 0.02)
        let chunks = 10
        let done = Atomic<Int>(0)
        let othersDone = DispatchSemaphore(value: 0)
        let signalled = Atomic<Bool>(false)
        Parallel.forChunks(chunks, workers: 2) { _, chunk in
            if chunk == 0 {
                signalled.store(othersDone.wait(timeout: .now() + 120) == .success, ordering: .relaxed)
            } else if done.wrappingAdd(1, ordering: .relaxed).newValue == chunks - 1 {
                othersDone.signal()
            }
        }
        let othersRan = signalled.load(ordering: .relaxed)
        #expect(othersRan, "no second thread ran chunks 1..<\(chunks) while chunk 0 waited")
    }
}
