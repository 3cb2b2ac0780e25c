import Kernels

/// One-thread measurements with the calling thread pinned to one CPU, so that reslab and its peer
/// (a process started from that thread inherits its affinity; a running one is moved,
/// `PeerWindows.pin(to:)`) run on the same CPU. On the shared host the two vCPUs ran one thread
/// at different speeds for minutes at a time and at the same moment (a training step 1,150 or
/// 1,770 img/s depending on which one the thread was on; docs/benchmarks.md), so an unpinned
/// one-thread ratio could compare two different CPUs. (Rows with more threads are placed by
/// `Parallel` itself: one worker per CPU, docs/kernels.md.)
public enum CPUPinning {
    /// Runs `body` with the calling thread pinned to `cpu` (nil: as it is), then restores its
    /// affinity. Where affinity cannot be read or set, runs `body` unpinned.
    public static func onCPU<R>(_ cpu: Int?, _ body: () throws -> R) rethrows -> R {
        var unpinned = 0
        return try onCPU(cpu, unpinned: &unpinned, body)
    }

    /// `onCPU(cpu, body)`, adding 1 to `unpinned` when `cpu` was given but the thread could not
    /// be pinned to it (`body` then ran where it was), so a figure labelled with a CPU can say so.
    public static func onCPU<R>(_ cpu: Int?, unpinned: inout Int, _ body: () throws -> R) rethrows -> R {
        guard let cpu else { return try body() }
        guard let saved = CPUAffinity.current(), CPUAffinity.pin(to: cpu) else {
            unpinned += 1
            return try body()
        }
        defer { CPUAffinity.set(saved) }
        return try body()
    }
}
