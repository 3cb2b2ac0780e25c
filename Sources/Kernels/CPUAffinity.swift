#if canImport(Glibc)
import Glibc
#endif

/// Which CPUs a thread may run on (Linux affinity), for the helper pool's thread placement and
/// the benchmarks' pinned one-thread rows.
///
/// glibc's `sched_getcpu`, `sched_getaffinity` and `sched_setaffinity` are GNU extensions that
/// Swift's Glibc module does not export; they are looked up in the C library at run time, and
/// where they are missing nothing is read or pinned (every function says so by its result).
public enum CPUAffinity {
    /// A glibc `cpu_set_t`: one bit per CPU, 1024 CPUs (128 bytes).
    public struct CPUSet: Equatable, Sendable {
        var bits = SIMD16<UInt64>()

        /// The set holding `cpus` (those from 0 to 1023).
        public init(_ cpus: [Int] = []) {
            for cpu in cpus where (0..<1024).contains(cpu) { bits[cpu / 64] |= 1 << UInt64(cpu % 64) }
        }

        /// The CPUs in the set, in increasing order.
        public var cpus: [Int] {
            (0..<1024).filter { bits[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
        }
    }

    private typealias GetCPU = @convention(c) () -> Int32
    private typealias Affinity = @convention(c) (_ tid: Int32, _ bytes: Int, _ set: UnsafeMutableRawPointer) -> Int32

    private static func function<T>(_ name: String, as type: T.Type) -> T? {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }

    nonisolated(unsafe) private static let getCPU = function("sched_getcpu", as: GetCPU.self)
    nonisolated(unsafe) private static let getAffinity = function("sched_getaffinity", as: Affinity.self)
    nonisolated(unsafe) private static let setAffinity = function("sched_setaffinity", as: Affinity.self)

    /// The CPU the calling thread runs on now (0 where it cannot be asked).
    public static func currentCPU() -> Int {
        guard let getCPU else { return 0 }
        return max(0, Int(getCPU()))
    }

    /// The CPUs the calling thread may run on, or nil where they cannot be read.
    public static func current() -> CPUSet? {
        affinity(of: 0)
    }

    /// The CPUs the process's main thread may run on (the set it was started with, e.g. by
    /// `taskset` or a Slurm job's cpuset), as read the first time this is used, in increasing
    /// order (empty where unknown): a parallel loop with as many workers runs worker k on the
    /// k-th of them (`HelperPool`, docs/kernels.md "Thread placement"); their count is the
    /// default thread count (`Parallel.availableCPUs`).
    public static let processCPUs: [Int] = affinity(of: getpid())?.cpus ?? []

    private static func affinity(of tid: Int32) -> CPUSet? {
        guard let getAffinity else { return nil }
        var set = CPUSet()
        let read = withUnsafeMutableBytes(of: &set.bits) { getAffinity(tid, $0.count, $0.baseAddress!) }
        return read == 0 ? set : nil
    }

    /// Lets the calling thread, or the thread `thread` (a Linux thread id, of any process this
    /// one may change), run only on `set`; false where affinity cannot be set (nothing changes then).
    @discardableResult
    public static func set(_ set: CPUSet, thread: Int32 = 0) -> Bool {
        guard let setAffinity else { return false }
        var bits = set.bits
        return withUnsafeMutableBytes(of: &bits) { setAffinity(thread, $0.count, $0.baseAddress!) } == 0
    }

    /// Pins the calling thread to `cpu`; false where affinity cannot be set.
    @discardableResult
    public static func pin(to cpu: Int) -> Bool {
        set(CPUSet([cpu]))
    }
}
