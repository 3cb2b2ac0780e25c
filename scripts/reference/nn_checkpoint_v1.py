#!/usr/bin/env python3
"""Reference logits for NNTests/CheckpointVersionTests: reads the version-1 checkpoint
Fixtures/nn/checkpoint_v1/tiny.ckpt (written by `reslab run` at commit 6abb437, before the graph
executor; see the README beside it), parses its header and float32 payload, and computes the
evaluation-mode logits of a fixed random batch in float64 numpy from the layer list and weights
it holds — batch norm with the stored running statistics.

Run from the package root (numpy 2.x):
    python3 scripts/reference/nn_checkpoint_v1.py
Writes Fixtures/nn/checkpoint_v1/input.f32 and logits.f32 (raw little-endian float32).
"""
import json
import os
import struct

import numpy as np

DIR = os.path.join("Fixtures", "nn", "checkpoint_v1")
EPS = 1e-5


def conv_same(x, w, b, stride):
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    ho, wo = -(-h // stride), -(-wd // stride)
    ph, pw = max((ho - 1) * stride + kh - h, 0), max((wo - 1) * stride + kw - wd, 0)
    xp = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    y = np.zeros((n, ho, wo, f))
    for i in range(kh):
        for j in range(kw):
            y += np.einsum("nhwc,cf->nhwf", xp[:, i:i + (ho - 1) * stride + 1:stride, j:j + (wo - 1) * stride + 1:stride, :], w[i, j])
    return y + b


def main():
    data = open(os.path.join(DIR, "tiny.ckpt"), "rb").read()
    assert data[:8] == b"RESLABNN"
    version, length = struct.unpack("<II", data[8:16])
    assert version == 1, version
    header = json.loads(data[16:16 + length])
    payload = np.frombuffer(data[16 + length:], dtype="<f4").astype(np.float64)
    tensors = {t["name"]: payload[t["offset"]:t["offset"] + int(np.prod(t["shape"]))].reshape(t["shape"]) for t in header["tensors"]}

    rng = np.random.default_rng(7)
    size, channels = header["trainingHeight"], header["inputChannels"]
    x = rng.uniform(-1, 1, (2, size, size, channels)).astype(np.float32).astype(np.float64)
    y = x
    for index, layer in enumerate(header["model"], start=1):
        prefix = f"{index}.{layer}."
        words = layer.split()
        if words[0] == "conv":
            stride = int(words[words.index("stride") + 1]) if "stride" in words else 1
            y = conv_same(y, tensors[prefix + "weight"], tensors[prefix + "bias"], stride)
        elif words[0] == "bn":
            y = tensors[prefix + "scale"] * (y - tensors[prefix + "runningMean"]) / np.sqrt(tensors[prefix + "runningVariance"] + EPS) + tensors[prefix + "shift"]
        elif words[0] == "relu":
            y = np.maximum(y, 0)
        elif words[0] == "maxpool":
            n, h, w, c = y.shape
            y = y[:, :h // 2 * 2, :w // 2 * 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))
        elif words[0] == "gap":
            y = y.mean(axis=(1, 2))
        elif words[0] == "dense":
            y = y.reshape(len(y), -1) @ tensors[prefix + "weight"] + tensors[prefix + "bias"]
        else:
            raise SystemExit(f"unexpected layer {layer}")
    x.astype("<f4").tofile(os.path.join(DIR, "input.f32"))
    y.astype("<f4").tofile(os.path.join(DIR, "logits.f32"))
    print(header["model"], y)


if __name__ == "__main__":
    main()
