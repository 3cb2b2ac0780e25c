import Foundation
import Synchronization

/// Persistent helper threads for `Parallel.forChunks` that wait for the next loop by spinning
/// before they sleep.
///
/// Why: with `DispatchQueue.concurrentPerform` the second thread went to sleep after every loop
/// and was woken for the next one, 20–40 times per training step. On a machine where another
/// process keeps that core busy, the scheduler let the other process run on at each wake-up, so
/// the second thread joined few loops: two threads trained only 1.12–1.26× faster than one with
/// one niced busy process beside them. A helper that spins between loops stays runnable and
/// gets its core by its scheduling weight (about 90% against a process at nice 10).
///
/// A loop (a job) is published by bumping a generation; helpers join it with a compare-and-swap
/// while it is open and take chunks from the same atomic counter as the caller; the caller, out
/// of chunks, closes the job and waits only for helpers that joined (a helper that wakes late
/// sees the job closed and does not join), so a descheduled helper holds no one up unless it
/// holds a chunk. Which thread runs which chunk never changes what a chunk computes.
///
/// **Placement**: a loop whose workers are as many as the CPUs the process may use (its
/// affinity: the machine, or a `taskset` or Slurm cpuset) runs one worker per CPU: helper k on
/// the k-th of those CPUs, the caller on the first for the loop's duration (its own affinity is
/// restored after, so threads it creates later are not pinned). Left to itself, Linux kept the
/// two workers on one CPU for long stretches while a busy niced process had the other CPU to
/// itself (perf sched: the caller ran 607 of its 674 times on CPU 1, the helper 546 of 737),
/// and two threads trained only 1.25–1.62× faster than one (docs/kernels.md). With fewer
/// workers than CPUs nothing is pinned (the scheduler has idle CPUs to place them on). Helpers
/// start on demand, as many as a loop asks for: a job given 4 CPUs of a 64-core node starts 3
/// helpers, not 63 spinning ones.
final class HelperPool: @unchecked Sendable {
    typealias Body = (_ worker: Int, _ chunk: Int) -> Void

    /// At most one helper per processor beyond the caller's, placed on the CPUs the process may
    /// use (as read when the pool is first used).
    static let shared = HelperPool(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1),
                                   cpus: CPUAffinity.processCPUs)

    /// How long a helper spins for the next loop before it sleeps (about 1 ms: the gaps between
    /// the loops of a training step are microseconds; between steps they may be longer).
    static let spinNanoseconds: UInt64 = 1_000_000

    /// The most helpers the pool starts.
    let helpers: Int
    /// The CPUs the process may use, in increasing order (empty where unknown): a loop with this
    /// many workers runs worker k on `cpus[k]`.
    let cpus: [Int]
    /// `cpus` as one set (what a helper may run on outside placed loops), and each CPU alone
    /// (worker k's set in a placed loop), made once instead of per loop.
    private let allowedSet: CPUAffinity.CPUSet
    private let workerSets: [CPUAffinity.CPUSet]
    /// Helpers started so far (1…`startedHelpers` run); changed only under `ownership`.
    private(set) var startedHelpers = 0
    /// The current job in one word: generation << 32 | helpers it wants << 21 | closed bit (20) |
    /// helpers inside it (bits 0–19). A helper numbered above the number wanted does not join.
    private let state = Atomic<Int>(0)
    private static let closedBit = 1 << 20
    private static let activeMask = closedBit - 1
    private static let wantedShift = 21
    private static let wantedMask = (1 << 11) - 1
    /// The next chunk of the current job.
    private let next = Atomic<Int>(0)
    /// Held by the caller whose loop the pool runs: a second caller's loop waits for it (loops
    /// never wait for each other's progress: a loop's body runs nested loops inline).
    private let ownership = NSLock()
    /// The current job; written by the owner before it publishes the generation, read by helpers
    /// after they join, cleared by the owner once no helper is inside.
    nonisolated(unsafe) private var body: Body?
    nonisolated(unsafe) private var chunks = 0
    /// Whether the current job runs one worker per CPU (`cpus`).
    nonisolated(unsafe) private var placed = false
    private let sleep = NSCondition()
    nonisolated(unsafe) private var sleepers = 0

    init(helpers: Int, cpus: [Int]) {
        self.helpers = helpers
        self.cpus = cpus
        allowedSet = CPUAffinity.CPUSet(cpus)
        workerSets = cpus.map { CPUAffinity.CPUSet([$0]) }
    }

    /// Runs `body` for chunks `0..<chunks` on the calling thread (worker 0) and `workers − 1`
    /// helpers, after any other caller's loop; false (nothing run) when the pool has fewer than
    /// `workers − 1` helpers, and the caller must distribute the loop another way.
    func run(chunks: Int, workers: Int, _ body: Body) -> Bool {
        guard workers - 1 <= min(helpers, HelperPool.wantedMask) else { return false }
        ownership.lock()
        defer { ownership.unlock() }
        startHelpers(upTo: workers - 1)
        let placed = workers == cpus.count
        withoutActuallyEscaping(body) { body in
            self.body = body
            self.chunks = chunks
            self.placed = placed
            next.store(0, ordering: .relaxed)
            let generation = (state.load(ordering: .relaxed) >> 32) &+ 1
            state.store(generation << 32 | (workers - 1) << HelperPool.wantedShift, ordering: .releasing)
            sleep.lock()
            if sleepers > 0 { sleep.broadcast() }
            sleep.unlock()

            let callerCPUs = placed ? CPUAffinity.current() : nil
            if callerCPUs != nil { CPUAffinity.set(workerSets[0]) }
            Parallel.takeChunks(next, chunks: chunks, worker: 0, body)
            if let callerCPUs { CPUAffinity.set(callerCPUs) }

            // Close the job, then wait for the helpers inside it.
            var current = state.load(ordering: .relaxed)
            while true {
                let (exchanged, original) = state.compareExchange(
                    expected: current, desired: current | HelperPool.closedBit, ordering: .acquiringAndReleasing)
                if exchanged { break }
                current = original
            }
            while state.load(ordering: .acquiring) & HelperPool.activeMask != 0 {}
            self.body = nil
        }
        return true
    }

    /// Starts helpers up to `count` (at most `helpers`) if fewer are running.
    func start(upTo count: Int) {
        ownership.lock()
        startHelpers(upTo: count)
        ownership.unlock()
    }

    /// `start` for a caller holding the ownership lock, before it publishes its job.
    private func startHelpers(upTo count: Int) {
        let wanted = min(count, helpers)
        guard startedHelpers < wanted else { return }
        // The generation now, before the caller publishes its job: a helper that starts late still
        // sees that job as new (starting from the state it finds, it could miss it).
        let generation = state.load(ordering: .acquiring) >> 32
        for index in (startedHelpers + 1)...wanted {
            let thread = Thread { [self] in helperLoop(index: index, after: generation) }
            thread.name = "reslab helper \(index)"
            thread.start()
        }
        startedHelpers = wanted
    }

    /// Helper `index` (its worker number): waits for each generation after `generation` and, if
    /// the job wants that many helpers, joins it while it is open and takes chunks.
    private func helperLoop(index: Int, after generation: Int) {
        // A thread inherits its creator's affinity, and the creator may be pinned.
        if !cpus.isEmpty { CPUAffinity.set(allowedSet) }
        var pinned = false
        var seen = generation
        while true {
            var current = waitForGeneration(after: seen)
            seen = current >> 32
            guard index <= (current >> HelperPool.wantedShift) & HelperPool.wantedMask else { continue }
            while current >> 32 == seen && current & HelperPool.closedBit == 0 {
                let (exchanged, original) = state.compareExchange(
                    expected: current, desired: current &+ 1, ordering: .acquiringAndReleasing)
                if exchanged {
                    if placed != pinned {
                        CPUAffinity.set(placed ? workerSets[index] : allowedSet)
                        pinned = placed
                    }
                    if let body { Parallel.takeChunks(next, chunks: chunks, worker: index, body) }
                    state.wrappingSubtract(1, ordering: .releasing)
                    break
                }
                current = original
            }
        }
    }

    /// Spins for up to `spinNanoseconds`, then sleeps, until the generation is past `seen`; returns the state.
    private func waitForGeneration(after seen: Int) -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while true {
            let current = state.load(ordering: .acquiring)
            if current >> 32 != seen { return current }
            spins &+= 1
            if spins & 1023 == 0 && DispatchTime.now().uptimeNanoseconds &- start > HelperPool.spinNanoseconds { break }
        }
        sleep.lock()
        sleepers += 1
        while state.load(ordering: .acquiring) >> 32 == seen { sleep.wait() }
        sleepers -= 1
        sleep.unlock()
        return state.load(ordering: .acquiring)
    }
}
