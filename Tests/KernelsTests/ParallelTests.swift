import Foundation
import Synchronization
import Testing
@testable import Kernels

/// `Parallel.forChunks`: every chunk runs once, a worker runs one chunk at a time, and chunks are
/// handed out dynamically (a stalled worker does not keep the others from the rest of the work).
@Suite struct ParallelTests {
    /// 1000 chunks on 1, 2 and 3 workers: each chunk runs exactly once, worker ids are below the
    /// worker count, and no worker id is in two chunks at once (per-worker scratch is safe).
    @Test(arguments: [1, 2, 3])
    func everyChunkRunsOnceAndWorkersNeverOverlap(_ workers: Int) {
        let chunks = 1000
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0, count: chunks)
        // Bit w is set while worker w runs a chunk.
        let busy = Atomic<Int>(0)
        let overlaps = Atomic<Int>(0), badWorkers = Atomic<Int>(0)
        Parallel.forChunks(chunks, workers: workers) { worker, chunk in
            guard (0..<workers).contains(worker) else {
                badWorkers.wrappingAdd(1, ordering: .relaxed)
                return
            }
            if busy.bitwiseOr(1 << worker, ordering: .acquiringAndReleasing).oldValue & (1 << worker) != 0 {
                overlaps.wrappingAdd(1, ordering: .relaxed)
            }
            var x = Double(chunk)
            for _ in 0..<200 { x = x * 1.000001 + 1 }
            runs[chunk] += x > 0 ? 1 : 2
            busy.bitwiseAnd(~(1 << worker), ordering: .acquiringAndReleasing)
        }
        #expect((0..<chunks).allSatisfy { runs[$0] == 1 })
        #expect(overlaps.load(ordering: .relaxed) == 0)
        #expect(badWorkers.load(ordering: .relaxed) == 0)
    }

    /// Chunk 0 waits (up to 20 s) until every other chunk is done. With fixed halves the chunks
    /// 1..<10 would belong to chunk 0's worker and could not finish; taken dynamically, the
    /// other worker does all of them while chunk 0's worker is held up.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aStalledWorkerLeavesTheRestToTheOther() {
        let chunks = 20
        let done = Atomic<Int>(0)
        let deadline = Date().addingTimeInterval(20)
        let workerOf = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { workerOf.deallocate() }
        Parallel.forChunks(chunks, workers: 2) { worker, chunk in
            workerOf[chunk] = worker
            if chunk == 0 {
                while done.load(ordering: .acquiring) < chunks - 1 && Date() < deadline { usleep(1000) }
            } else {
                done.wrappingAdd(1, ordering: .releasing)
            }
        }
        #expect(done.load(ordering: .relaxed) == chunks - 1)
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
}
