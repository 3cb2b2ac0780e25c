#!/usr/bin/env python3
"""Peer for `reslab bench gemm`: numpy + OpenBLAS SGEMM (float32) on the same shapes, timed the
same way (each sample averages back-to-back calls for >= 20 ms; best and median of the samples).

Environment: scripts/peers-venv.sh (numpy, threadpoolctl, pinned). Run with OPENBLAS_CORETYPE=SkylakeX so
OpenBLAS uses its AVX-512 kernels on Zen 5 (its DYNAMIC_ARCH build does not recognise the CPU).

Usage: numpy_gemm.py --threads 1 [--threads 2] [--samples 9] SHAPE...
  SHAPE is M,N,K[,tA][,tB], e.g. 288,64,16384,tA  (tA: A stored K x M; tB: B stored N x K).
Prints one JSON object per shape and thread count:
  {"shape": "...", "threads": 1, "best": seconds, "median": seconds, "samples": 9}
"""
import argparse
import json
import time

import numpy as np
from threadpoolctl import threadpool_limits


def operands(m, n, k, ta, tb):
    """A pattern in [-1, 1] like the Swift side's; a transposed operand is stored transposed and
    handed to matmul as a transposed view, which numpy passes to sgemm as a flag (no copy)."""
    a = ((np.arange(m * k, dtype=np.int64) * 7919) % 2001 - 1000).astype(np.float32) / 1000
    b = ((np.arange(k * n, dtype=np.int64) * 104729) % 2001 - 1000).astype(np.float32) / 1000
    a = a.reshape(k, m).T if ta else a.reshape(m, k)
    b = b.reshape(n, k).T if tb else b.reshape(k, n)
    return a, b, np.empty((m, n), np.float32)


def time_shape(spec, samples):
    parts = spec.split(",")
    m, n, k = (int(x) for x in parts[:3])
    a, b, c = operands(m, n, k, "tA" in parts[3:], "tB" in parts[3:])
    np.matmul(a, b, out=c)
    times = []
    for _ in range(samples):
        calls, start = 0, time.perf_counter()
        while True:
            np.matmul(a, b, out=c)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.02:
                break
        times.append(elapsed / calls)
    times.sort()
    return times[0], times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, action="append", required=True)
    parser.add_argument("--samples", type=int, default=9)
    parser.add_argument("shapes", nargs="+")
    args = parser.parse_args()
    for threads in args.threads:
        with threadpool_limits(limits=threads, user_api="blas"):
            for spec in args.shapes:
                best, median = time_shape(spec, args.samples)
                print(json.dumps({"shape": spec, "threads": threads, "best": best,
                                  "median": median, "samples": args.samples}), flush=True)


if __name__ == "__main__":
    main()
