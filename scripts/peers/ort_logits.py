#!/usr/bin/env python3
"""ONNX Runtime's logits for `reslab bench onnx`'s check that both sides compute the same thing:
reads one batch of images as reslab feeds its engine (float32, little-endian, NHWC: B x S x S x C),
runs the model on it in NCHW (CPU provider, one thread, all graph optimisations, as ort_infer.py)
and writes the first output (float32, B x classes) to OUT.

Usage: ort_logits.py --model M.onnx --batch B --size S --channels C --input IN.f32 --output OUT.f32
"""
import argparse

import numpy as np
import onnxruntime as ort

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--batch", type=int, required=True)
parser.add_argument("--size", type=int, required=True)
parser.add_argument("--channels", type=int, required=True)
parser.add_argument("--input", required=True)
parser.add_argument("--output", required=True)
args = parser.parse_args()

options = ort.SessionOptions()
options.intra_op_num_threads = 1
options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
session = ort.InferenceSession(args.model, sess_options=options, providers=["CPUExecutionProvider"])
images = np.fromfile(args.input, dtype="<f4").reshape(args.batch, args.size, args.size, args.channels)
logits = session.run(None, {session.get_inputs()[0].name: np.ascontiguousarray(images.transpose(0, 3, 1, 2))})[0]
np.ascontiguousarray(logits, dtype="<f4").tofile(args.output)
