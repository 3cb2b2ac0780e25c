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

    /// Runs `body` with `count` zeroed run counters; true when `body` left every one at exactly 1.
    private func eachRunsOnce(_ count: Int, _ body: (_ runs: UnsafeMutablePointer<Int>) -> Void) -> Bool {
        let runs = UnsafeMutablePointer<Int>.allocate(capacity: count)
        defer { runs.deallocate() }
        runs.initialize(repeating: 0, count: count)
        body(runs)
        return (0..<count).allSatisfy { runs[$0] == 1 }
    }

    /// Runs `loop` with a body whose chunk 0 waits (up to 120 s) until chunks 1..<`chunks` have
    /// all run, calling `each(worker, chunk)` first; true when they did (so on another thread).
    private func othersRunWhileChunk0Waits(chunks: Int, each: (_ worker: Int, _ chunk: Int) -> Void = { _, _ in },
                                           _ loop: (_ body: (_ worker: Int, _ chunk: Int) -> Void) -> Void) -> Bool {
        let done = Atomic<Int>(0)
        let othersDone = DispatchSemaphore(value: 0)
        let signalled = Atomic<Bool>(false)
        withoutActuallyEscaping(each) { each in
            loop { worker, chunk in
                each(worker, chunk)
                if chunk == 0 {
                    signalled.store(othersDone.wait(timeout: .now() + 120) == .success, ordering: .relaxed)
                } else if done.wrappingAdd(1, ordering: .relaxed).newValue == chunks - 1 {
                    othersDone.signal()
                }
            }
        }
        return signalled.load(ordering: .relaxed)
    }

    /// Chunk 0 blocks on a semaphore that the worker finishing the last of chunks 1..<20 signals
    /// (it gives up after 120 s, however late the second dispatch thread starts). With fixed
    /// halves chunks 1..<10 would belong to chunk 0's worker and could not run while it waits, so
    /// the wait would time out; taken dynamically, the other worker does all of them.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aStalledWorkerLeavesTheRestToTheOther() {
        let chunks = 20
        let workerOf = UnsafeMutablePointer<Int>.allocate(capacity: chunks)
        defer { workerOf.deallocate() }
        let othersRanWhileChunk0Waited = othersRunWhileChunk0Waits(chunks: chunks, each: { workerOf[$1] = $0 }) {
            Parallel.forChunks(chunks, workers: 2, $0)
        }
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
        let byHelper = Atomic<Int>(0)
        let once = eachRunsOnce(loops * chunks) { runs in
            for loop in 0..<loops {
                Parallel.forChunks(chunks, workers: 2) { worker, chunk in
                    // About a microsecond of work, so that the helper joins some loops mid-way.
                    var sum = 0.0
                    for i in 0..<500 { sum += Double(i ^ chunk) }
                    runs[loop * chunks + chunk] += sum > 0 ? 1 : 2
                    if worker == 1 { byHelper.wrappingAdd(1, ordering: .relaxed) }
                }
            }
        }
        #expect(once)
        let helperChunks = byHelper.load(ordering: .relaxed)
        #expect(ProcessInfo.processInfo.activeProcessorCount < 2 || helperChunks > 0, "the second worker never ran a chunk")
    }

    /// Two threads running loops at once (their loops take turns with the helper pool): both
    /// finish and every chunk runs once.
    @Test func twoCallersAtOnceBothFinish() {
        let loops = 500, chunks = 8
        let once = eachRunsOnce(2 * loops * chunks) { runs in
            DispatchQueue.concurrentPerform(iterations: 2) { caller in
                for loop in 0..<loops {
                    Parallel.forChunks(chunks, workers: 2) { _, chunk in runs[(caller * loops + loop) * chunks + chunk] += 1 }
                }
            }
        }
        #expect(once)
    }

    /// After a pause long enough for the helper to stop spinning and sleep, the next loop wakes
    /// it: chunk 0 (the caller's, or the helper's) waits until chunks 1..<10 have run elsewhere.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aSleepingHelperWakesForTheNextLoop() {
        Parallel.forChunks(2, workers: 2) { _, _ in }
        Thread.sleep(forTimeInterval: 0.02)
        let othersRan = othersRunWhileChunk0Waits(chunks: 10) { Parallel.forChunks(10, workers: 2, $0) }
        #expect(othersRan, "no second thread ran chunks 1..<10 while chunk 0 waited")
    }

    /// A pool of 3 helpers running loops that want 1, 2 and 3 of them: only helpers numbered up
    /// to the number wanted take chunks (worker ids stay below the worker count), every chunk of
    /// 200 back-to-back loops runs once, more workers than helpers is refused, and helpers start
    /// only as loops want them (a job given 4 CPUs of a 64-core node must not start 63).
    @Test func aLoopUsesOnlyTheHelpersItWants() {
        let pool = HelperPool(helpers: 3, cpus: [])
        #expect(!pool.run(chunks: 4, workers: 5) { _, _ in }, "5 workers need 4 helpers")
        for workers in 2...4 {
            let loops = 200, chunks = 16
            let badWorkers = Atomic<Int>(0)
            var allRan = true
            let once = eachRunsOnce(loops * chunks) { runs in
                for loop in 0..<loops {
                    allRan = pool.run(chunks: chunks, workers: workers) { worker, chunk in
                        if worker >= workers { badWorkers.wrappingAdd(1, ordering: .relaxed) }
                        runs[loop * chunks + chunk] += 1
                    } && allRan
                }
            }
            #expect(allRan && once, "\(workers) workers")
            #expect(pool.startedHelpers == workers - 1, "\(workers) workers: \(pool.startedHelpers) helpers started")
            let bad = badWorkers.load(ordering: .relaxed)
            #expect(bad == 0, "\(workers) workers: a helper numbered above the count took a chunk")
        }
    }

    /// A new pool's first loop: its helper, started for that loop, joins it (chunk 0 waits until
    /// chunks 1..<10 have run on the helper; a helper that took the published loop for an old
    /// one would leave chunk 0 waiting).
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2, "needs 2 processors"))
    func aNewPoolsHelperJoinsItsFirstLoop() {
        let pool = HelperPool(helpers: 1, cpus: [])
        var ran = false
        let othersRan = othersRunWhileChunk0Waits(chunks: 10) { ran = pool.run(chunks: 10, workers: 2, $0) }
        #expect(ran && othersRan, "the helper did not run chunks 1..<10 of the first loop")
    }

    /// A loop with one worker per CPU the process may use runs worker k on the k-th of those
    /// CPUs (chunk by chunk, as `sched_getcpu` says), and the caller's own affinity is what it
    /// was before the loop (threads it creates later are not pinned).
    @Test(.enabled(if: (2...ProcessInfo.processInfo.activeProcessorCount).contains(CPUAffinity.processCPUs.count),
                   "needs 2 or more CPUs to run on"))
    func oneWorkerPerCPURunsEachOnItsOwnCPU() throws {
        let cpus = CPUAffinity.processCPUs
        let before = CPUAffinity.current()
        let chunks = 64 * cpus.count
        let ranOn = UnsafeMutablePointer<(worker: Int, cpu: Int)>.allocate(capacity: chunks)
        defer { ranOn.deallocate() }
        for _ in 0..<20 {
            Parallel.forChunks(chunks, workers: cpus.count) { worker, chunk in
                var x = Float(chunk)
                for _ in 0..<2_000 { x = x * 0.999 + 1 }  // long enough for every worker to join
                ranOn[chunk] = (worker, x.isNaN ? -1 : CPUAffinity.currentCPU())
            }
            let misplaced = (0..<chunks).filter { ranOn[$0].cpu != cpus[ranOn[$0].worker] }
            #expect(misplaced.count == 0, "chunks \(misplaced.prefix(5)) ran on \(misplaced.prefix(5).map { ranOn[$0] }) (worker, CPU); CPUs \(cpus)")
        }
        #expect(CPUAffinity.current() == before, "the caller's affinity was not restored")
    }
}
