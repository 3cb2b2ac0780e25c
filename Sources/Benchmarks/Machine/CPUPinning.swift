#if canImport(Glibc)
import Glibc
#endif

/// One-thread measurements with the calling thread pinned to one CPU, so that reslab and its peer
/// (a process started from that thread inherits its affinity) run on the same CPU. On the shared
/// host the two vCPUs ran one thread at different speeds for minutes at a time (a training step
/// 1,150 or 1,770 img/s depending on which one the thread was on), so an unpinned one-thread
/// ratio could compare two different CPUs.
///
/// glibc's `sched_getcpu`, `sched_getaffinity` and `sched_setaffinity` are GNU extensions that
/// Swift's Glibc module does not export; they are looked up in the C library at run time, and
/// where they are missing nothing is pinned.
public enum CPUPinning {
    private typealias GetCPU = @convention(c) () -> Int32
    private typealias Affinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
    /// Bytes of glibc's `cpu_set_t` (1024 CPUs).
    private static let setBytes = 128

    private static func function<T>(_ name: String, as type: T.Type) -> T? {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(symbol, to: type)
        #else
        return nil
        #endif
    }

    /// The CPU the calling thread runs on now (0 where it cannot be asked).
    public static func currentCPU() -> Int {
        guard let getCPU = function("sched_getcpu", as: GetCPU.self) else { return 0 }
        return max(0, Int(getCPU()))
    }

    /// Pins the calling thread to `cpu` (for good); false where affinity cannot be set.
    @discardableResult
    public static func pin(to cpu: Int) -> Bool {
        guard let set = function("sched_setaffinity", as: Affinity.self) else { return false }
        return withSet(cpu: cpu) { set(0, setBytes, $0) == 0 }
    }

    /// Runs `body` with the calling thread pinned to `cpu` when `threads` is 1 (else as it is),
    /// then restores its affinity. Where affinity cannot be read or set, runs `body` unpinned.
    public static func whenOneThread<R>(_ threads: Int, cpu: Int, _ body: () throws -> R) rethrows -> R {
        guard threads == 1, let get = function("sched_getaffinity", as: Affinity.self),
              let set = function("sched_setaffinity", as: Affinity.self) else { return try body() }
        let saved = UnsafeMutableRawPointer.allocate(byteCount: setBytes, alignment: 8)
        defer { saved.deallocate() }
        saved.initializeMemory(as: UInt8.self, repeating: 0, count: setBytes)
        guard get(0, setBytes, saved) == 0, pin(to: cpu) else { return try body() }
        defer { _ = set(0, setBytes, saved) }
        return try body()
    }

    /// Runs `body` with a CPU set holding `cpu` alone (none if `cpu` is out of range).
    private static func withSet<R>(cpu: Int, _ body: (UnsafeMutableRawPointer) -> R) -> R {
        let cpus = UnsafeMutableRawPointer.allocate(byteCount: setBytes, alignment: 8)
        defer { cpus.deallocate() }
        cpus.initializeMemory(as: UInt8.self, repeating: 0, count: setBytes)
        if (0..<setBytes * 8).contains(cpu) { cpus.storeBytes(of: UInt8(1) << UInt8(cpu % 8), toByteOffset: cpu / 8, as: UInt8.self) }
        return body(cpus)
    }
}
