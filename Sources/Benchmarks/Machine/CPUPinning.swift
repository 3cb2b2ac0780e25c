import Kernels

/// One-thread measurements with the calling thread pinned to one CPU, so that reslab and its peer
/// (a process started from that thread inherits its affinity) run on the same CPU. On the shared
/// host the two vCPUs ran one thread at different speeds for minutes at a time (a training step
/// 1,150 or 1,770 img/s depending on which one the thread was on), so an unpinned one-thread
/// ratio could compare two different CPUs. (Rows with more threads are placed by `Parallel`
/// itself: one worker per CPU, docs/kernels.md.)
public enum CPUPinning {
    /// Runs `body` with the calling thread pinned to `cpu` when `threads` is 1 (else as it is),
    /// then restores its affinity. Where affinity cannot be read or set, runs `body` unpinned.
    public static func whenOneThread<R>(_ threads: Int, cpu: Int, _ body: () throws -> R) rethrows -> R {
        guard threads == 1, let saved = CPUAffinity.current(), CPUAffinity.pin(to: cpu) else { return try body() }
        defer { CPUAffinity.set(saved) }
        return try body()
    }
}
