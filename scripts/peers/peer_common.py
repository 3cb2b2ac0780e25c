"""What every peer of `reslab bench` shares: pinning to N cores before numpy/jax/onnxruntime load,
timing windows the way reslab does (warm-up, then the median of windows of >= S seconds) and
printing one JSON object per line for reslab to read. Standard library only: import it first."""
import json
import os
import statistics
import time

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                     "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def pin_threads(threads):
    """Limits this process to `threads` cores: the thread-count variables the BLAS and OpenMP
    libraries read when they load, and the CPU affinity, which also bounds XLA's thread pool (its
    own flags no longer do on jaxlib 0.10). Call before importing numpy, jax or onnxruntime."""
    for variable in _THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    if threads == 1:
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "")
                                   + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1").strip()
    cpus = sorted(os.sched_getaffinity(0))
    if threads > len(cpus):
        raise SystemExit(f"--threads {threads}, but this process may use only {len(cpus)} CPUs")
    os.sched_setaffinity(0, cpus[:threads])


def timed_windows(call, windows=3, seconds=0.5, warm_up=2):
    """Calls per wall second and per process-CPU second of `call`, median over `windows` windows
    that each repeat it until `seconds` have passed, after `warm_up` untimed calls (reslab's
    `callRates`)."""
    for _ in range(warm_up):
        call()
    wall, cpu = [], []
    for _ in range(windows):
        start, cpu_start, calls = time.perf_counter(), time.process_time(), 0
        while True:
            call()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        wall.append(calls / elapsed)
        cpu.append(calls / max(1e-9, time.process_time() - cpu_start))
    return statistics.median(wall), statistics.median(cpu)


def emit(**fields):
    print(json.dumps(fields), flush=True)
