#!/usr/bin/env python3
"""Peer of `reslab bench train` (inference) and `reslab bench onnx`: ONNX Runtime's CPU provider
running an ONNX model on random NCHW inputs, timed like reslab's (two warm-up runs, then the
median of windows of >= S seconds). Session: intra-op threads = --threads, sequential execution,
all graph optimisations (ORT's defaults for a CPU session, pinned so both sides use N cores).

Usage: ort_infer.py --model M.onnx --threads N --batch B --size S [--size S2 ...] [--seconds 0.5] [--windows 3]
       ort_infer.py --model M.onnx --threads N --batch B --size S --serve
Prints one {"size": S, "threads": N, "images_per_s": ..., "images_per_cpu_s": ...} per size (with
--serve, one size: that information on the ready line, then a line per window; peer_common.py).
"""
import argparse

from peer_common import add_window_arguments, pin_threads, report_windows

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--size", type=int, action="append", required=True)
add_window_arguments(parser, seconds=0.5)
args = parser.parse_args()
if args.serve and len(args.size) != 1:
    parser.error("--serve times one --size")
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
    report_windows(args, lambda: session.run(None, {name: x}), args.batch, size=size, threads=args.threads,
                   onnxruntime=ort.__version__)
