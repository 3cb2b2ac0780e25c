#!/usr/bin/env python3
"""Pillow's decode rate on a given list of image files, the peer of `reslab bench decode`.

Reads every file into memory first (no disk I/O is timed), then decodes them with
Image.open(BytesIO(data)).load() (libjpeg-turbo or zlib inside Pillow, which releases the GIL
while decoding), one thread or a ThreadPoolExecutor of N workers, pinned to N cores. For each
thread count: one warm-up pass, then `--repeats` timings, each looping over the list until at
least `--seconds` have passed. Prints one JSON line per thread count:
    {"threads": N, "images_per_s": median, "min": ..., "max": ..., "files": count, "pillow": version}

Usage: pil_decode.py --files LIST.txt [--threads 1 --threads 2] [--seconds 1] [--repeats 3]
(LIST.txt holds one path per line). Environment: scripts/peers-venv.sh (Pillow, pinned).
"""
import argparse
import io
import json
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import PIL
from PIL import Image

parser = argparse.ArgumentParser()
parser.add_argument("--files", required=True)
parser.add_argument("--threads", type=int, action="append")
parser.add_argument("--seconds", type=float, default=1.0)
parser.add_argument("--repeats", type=int, default=3)
args = parser.parse_args()

with open(args.files) as listing:
    paths = [line.strip() for line in listing if line.strip()]
blobs = []
for path in paths:
    with open(path, "rb") as file:
        blobs.append(file.read())


def decode(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def one_pass(pool: ThreadPoolExecutor | None) -> None:
    if pool is None:
        for data in blobs:
            decode(data)
    else:
        list(pool.map(decode, blobs, chunksize=16))


all_cores = sorted(os.sched_getaffinity(0))
for threads in args.threads or [1]:
    os.sched_setaffinity(0, all_cores[:threads])
    pool = ThreadPoolExecutor(threads) if threads > 1 else None
    one_pass(pool)
    rates = []
    for _ in range(args.repeats):
        start, decoded = time.perf_counter(), 0
        while time.perf_counter() - start < args.seconds:
            one_pass(pool)
            decoded += len(blobs)
        rates.append(decoded / (time.perf_counter() - start))
    if pool is not None:
        pool.shutdown()
    print(json.dumps({"threads": threads, "images_per_s": round(statistics.median(rates), 1),
                      "min": round(min(rates), 1), "max": round(max(rates), 1),
                      "files": len(blobs), "pillow": PIL.__version__}), flush=True)
os.sched_setaffinity(0, all_cores)
