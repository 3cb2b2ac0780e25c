"""What every peer of `reslab bench` shares: pinning to N cores before numpy/jax/onnxruntime load,
timing windows the way reslab does (warm-up, then windows of >= S seconds) and printing one JSON
object per line for reslab to read. Standard library only: import it first.

A timed peer runs in one of two ways (`add_window_arguments`, `report_windows`):
- by hand: `--windows W` windows after the warm-up, then one line with their medians;
- `--serve` (how reslab runs it): after the warm-up one line {"ready": true, ...}, then one window
  for each line read from standard input, one line {"images_per_s", "images_per_cpu_s"} each,
  until the input ends. reslab times its own windows between the peer's, so a change of the
  shared host's speed, which lasts seconds to minutes, falls on both sides alike."""
import json
import os
import statistics
import sys
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


def add_window_arguments(parser, seconds):
    """--seconds (per window, default `seconds`), --windows (by hand) and --serve."""
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--serve", action="store_true",
                        help="after the warm-up, time one window per line read from standard input")


def one_window(call, seconds):
    """Calls per wall second and per process-CPU second of `call`, repeated until `seconds` have
    passed (reslab's `callRates`)."""
    start, cpu_start, calls = time.perf_counter(), time.process_time(), 0
    while True:
        call()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    return calls / elapsed, calls / max(1e-9, time.process_time() - cpu_start)


def report_windows(args, call, images_per_call, warm_up=2, **fields):
    """After `warm_up` untimed calls of `call`: with `args.serve` the ready line with `fields`,
    then one line per window asked for on standard input; otherwise one line with the medians of
    `args.windows` windows and `fields`. Rates are in images (`images_per_call` per call)."""
    for _ in range(warm_up):
        call()
    if args.serve:
        emit(ready=True, **fields)
        for _ in sys.stdin:
            wall, cpu = one_window(call, args.seconds)
            emit(images_per_s=wall * images_per_call, images_per_cpu_s=cpu * images_per_call)
        return
    rates = [one_window(call, args.seconds) for _ in range(args.windows)]
    emit(images_per_s=statistics.median(r[0] for r in rates) * images_per_call,
         images_per_cpu_s=statistics.median(r[1] for r in rates) * images_per_call, **fields)


def emit(**fields):
    print(json.dumps(fields), flush=True)
