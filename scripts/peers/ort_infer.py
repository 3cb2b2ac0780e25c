#!/usr/bin/env python3
"""Peer of `reslab bench train` (inference) and `reslab bench onnx`: ONNX Runtime's CPU provider
running an ONNX model on random NCHW inputs, timed like reslab's (two warm-up runs, then the
median of windows of >= S seconds). Session: intra-op threads = --threads, sequential execution,
all graph optimisations (ORT's defaults for a CPU session, pinned so both sides use N cores).

Usage: ort_infer.py --model M.onnx --threads N --batch B --size S [--size S2 ...] [--seconds 0.5]
Prints one {"size": S, "threads": N, "images_per_s": ..., "images_per_cpu_s": ...} per size.
"""
import argparse

from peer_common import emit, pin_threads, timed_windows

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--size", type=int, action="append", required=True)
parser.add_argument("--seconds", type=float, default=0.5)
parser.add_argument("--windows", type=int, default=3)
args = parser.parse_args()
pin_threads(args.threads)

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402

options = ort.SessionOptions()
options.intra_op_num_threads = args.threads
options.inter_op_num_threads = 1
options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
session = ort.InferenceSession(args.model, sess_options=options, providers=["CPUExecutionProvider"])
name = session.get_inputs()[0].name
rng = np.random.default_rng(2)
for size in args.size:
    x = rng.uniform(0, 1, (args.batch, 3, size, size)).astype(np.float32)
    wall, cpu = timed_windows(lambda: session.run(None, {name: x}), args.windows, args.seconds)
    emit(size=size, threads=args.threads, images_per_s=wall * args.batch, images_per_cpu_s=cpu * args.batch,
         onnxruntime=ort.__version__)
