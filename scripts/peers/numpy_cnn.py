#!/usr/bin/env python3
"""Peer of `reslab bench train` (reference CNN): one training step of the same network written
the way a numpy user would, im2col + BLAS (OpenBLAS in numpy's wheel), timed like reslab's.

Model (NHWC, weights HWIO): 3 x [conv 3x3 SAME (32, 64, 128 filters) + bias, ReLU, maxpool 2],
global average pool, dense 128 -> 10, softmax cross-entropy, Adam (lr 1e-3): the FLOPs of
reslab's `ModelSpec.referenceCNN()` step. Random inputs uniform in [0, 1), labels i mod 10.

Usage: numpy_cnn.py --threads N [--batch 64] [--size 32] [--seconds 0.5] [--windows 3 | --serve]
Prints {"images_per_s": ..., "images_per_cpu_s": ..., "threads": N, "numpy": ..., "blas": ...}
(with --serve: that information on the ready line, then a line per window; peer_common.py).
Run with OPENBLAS_CORETYPE=SkylakeX on AMD Zen 4/5: OpenBLAS's runtime detection does not know
those CPUs and would pick its AVX2 kernels (half the speed); reslab sets it for the peer.
"""
import argparse

from peer_common import add_window_arguments, pin_threads, report_windows

FILTERS = (32, 64, 128)
CLASSES = 10


def im2col(x, cols):
    """x (N,H,W,C) -> cols (N,H,W,3,3,C) of the zero-padded 3x3 neighbourhoods (SAME)."""
    n, h, w, c = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    for i in range(3):
        for j in range(3):
            cols[:, :, :, i, j, :] = padded[:, i:i + h, j:j + w, :]
    return cols.reshape(n * h * w, 9 * c)


def col2im(dcols, shape):
    """The adjoint of im2col: dcols (N*H*W, 9*C) -> dx (N,H,W,C)."""
    n, h, w, c = shape
    d = dcols.reshape(n, h, w, 3, 3, c)
    padded = np.zeros((n, h + 2, w + 2, c), np.float32)
    for i in range(3):
        for j in range(3):
            padded[:, i:i + h, j:j + w, :] += d[:, :, :, i, j, :]
    return padded[:, 1:h + 1, 1:w + 1, :]


class Network:
    def __init__(self, batch, size, seed=1):
        rng = np.random.default_rng(seed)
        self.params, channels = {}, 3
        for k, f in enumerate(FILTERS):
            self.params[f"w{k}"] = (rng.standard_normal((9 * channels, f)) * np.sqrt(2 / (9 * channels))).astype(np.float32)
            self.params[f"b{k}"] = np.zeros(f, np.float32)
            channels = f
        self.params["wd"] = (rng.standard_normal((channels, CLASSES)) / np.sqrt(channels)).astype(np.float32)
        self.params["bd"] = np.zeros(CLASSES, np.float32)
        self.m = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.v = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.t = 0
        self.cols, channels = [], 3
        for f in FILTERS:  # im2col buffers, allocated once as a careful numpy user would
            self.cols.append(np.empty((batch, size, size, 3, 3, channels), np.float32))
            size //= 2
            channels = f

    def step(self, x, labels, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        p, cache = self.params, []
        for k in range(len(FILTERS)):
            n, h, w, c = x.shape
            cols = im2col(x, self.cols[k])
            z = cols @ p[f"w{k}"]
            z += p[f"b{k}"]
            np.maximum(z, 0, out=z)
            blocks = z.reshape(n, h // 2, 2, w // 2, 2, -1)
            pooled = blocks.max(axis=(2, 4))
            cache.append((x.shape, cols, blocks, pooled))
            x = pooled
        features = x.mean(axis=(1, 2))
        logits = features @ p["wd"] + p["bd"]
        n = logits.shape[0]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        dlogits = e / e.sum(axis=1, keepdims=True)
        dlogits[np.arange(n), labels] -= 1
        dlogits /= n
        grads = {"wd": features.T @ dlogits, "bd": dlogits.sum(axis=0)}
        dx = np.broadcast_to((dlogits @ p["wd"].T)[:, None, None, :] / (x.shape[1] * x.shape[2]), x.shape)
        for k in reversed(range(len(FILTERS))):
            shape, cols, blocks, pooled = cache[k]
            dz = (blocks == pooled[:, :, None, :, None, :]) * dx[:, :, None, :, None, :]
            dz *= blocks > 0
            dz = dz.reshape(cols.shape[0], -1)
            grads[f"w{k}"] = cols.T @ dz
            grads[f"b{k}"] = dz.sum(axis=0)
            if k > 0:
                dx = col2im(dz @ p[f"w{k}"].T, shape)
        self.t += 1
        for key, g in grads.items():
            m, v = self.m[key], self.v[key]
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p[key] -= lr * (m / (1 - beta1 ** self.t)) / (np.sqrt(v / (1 - beta2 ** self.t)) + eps)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--size", type=int, default=32)
    add_window_arguments(parser, seconds=0.5)
    args = parser.parse_args()
    pin_threads(args.threads)
    global np
    import numpy as np

    rng = np.random.default_rng(2)
    x = rng.uniform(0, 1, (args.batch, args.size, args.size, 3)).astype(np.float32)
    labels = np.arange(args.batch) % CLASSES
    net = Network(args.batch, args.size)
    try:
        import threadpoolctl
        blas = ", ".join(f"{i['internal_api']} {i['version']} {i.get('architecture', '')}".strip()
                         for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas")
    except ImportError:
        blas = "unknown BLAS"
    report_windows(args, lambda: net.step(x, labels), args.batch, threads=args.threads, numpy=np.__version__, blas=blas)


if __name__ == "__main__":
    main()
