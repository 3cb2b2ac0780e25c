#!/usr/bin/env python3
"""Reference tensors for NNTests/ReferenceCNNTests: the reference CNN's forward pass, loss and
every gradient, computed independently in float64 numpy on fixed weights and a fixed batch.

Model (NHWC, weights HWIO): conv3x3 3->32 SAME + ReLU + maxpool 2, conv3x3 32->64 + ReLU +
maxpool 2, conv3x3 64->128 + ReLU + maxpool 2, global average pool, dense 128->10, softmax
cross-entropy (mean over the batch).

Environment (once):
    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install numpy==2.4.6
Run from the package root:
    /tmp/peers/bin/python scripts/reference/nn_reference_cnn.py
Writes Fixtures/nn/reference_cnn/<name>.f32 (raw little-endian float32) and index.json.
"""
import json
import os

import numpy as np

OUT = os.path.join("Fixtures", "nn", "reference_cnn")
BATCH, SIZE, CLASSES = 4, 16, 10
CHANNELS = [(3, 32), (32, 64), (64, 128)]


def conv_same(x, w, b):
    """x (N,H,W,C), w (3,3,C,F): direct sum over the 9 taps of the zero-padded input."""
    n, h, wd, c = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    y = np.zeros((n, h, wd, w.shape[3]))
    for i in range(3):
        for j in range(3):
            y += np.einsum("nhwc,cf->nhwf", xp[:, i:i + h, j:j + wd, :], w[i, j])
    return y + b


def conv_same_backward(x, w, dy):
    """Gradients of conv_same: per tap, dW[i,j] = Σ x_shifted ⊗ dy, dx_padded[shift] += dy·Wᵀ."""
    n, h, wd, c = x.shape
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for i in range(3):
        for j in range(3):
            dw[i, j] = np.einsum("nhwc,nhwf->cf", xp[:, i:i + h, j:j + wd, :], dy)
            dxp[:, i:i + h, j:j + wd, :] += np.einsum("nhwf,cf->nhwc", dy, w[i, j])
    return dxp[:, 1:h + 1, 1:wd + 1, :], dw, dy.sum(axis=(0, 1, 2))


def maxpool2(x):
    n, h, w, c = x.shape
    blocks = x.reshape(n, h // 2, 2, w // 2, 2, c)
    return blocks.max(axis=(2, 4))


def maxpool2_backward(x, dy):
    """Routes each gradient to the first maximum of its 2x2 window (row-major window order)."""
    n, h, w, c = x.shape
    dx = np.zeros_like(x)
    best = np.full(dy.shape, -np.inf)
    where = np.zeros(dy.shape + (2,), dtype=int)
    for i in range(2):
        for j in range(2):
            v = x[:, i::2, j::2, :]
            better = v > best
            best = np.where(better, v, best)
            where[..., 0] = np.where(better, i, where[..., 0])
            where[..., 1] = np.where(better, j, where[..., 1])
    for i in range(2):
        for j in range(2):
            mask = (where[..., 0] == i) & (where[..., 1] == j)
            dx[:, i::2, j::2, :] += dy * mask
    return dx


def main():
    rng = np.random.default_rng(2024)
    params = {}
    for k, (cin, cout) in enumerate(CHANNELS):
        params[f"conv{k + 1}.weight"] = rng.uniform(-1, 1, (3, 3, cin, cout)) * np.sqrt(6 / (9 * cin))
        params[f"conv{k + 1}.bias"] = rng.uniform(-0.1, 0.1, cout)
    params["dense.weight"] = rng.uniform(-1, 1, (128, CLASSES)) * np.sqrt(6 / 138)
    params["dense.bias"] = rng.uniform(-0.1, 0.1, CLASSES)
    params = {k: v.astype(np.float32).astype(np.float64) for k, v in params.items()}
    x = rng.uniform(-1, 1, (BATCH, SIZE, SIZE, 3)).astype(np.float32).astype(np.float64)
    labels = np.array([3, 7, 0, 9])

    acts = [x]
    caches = []
    for k in range(3):
        z = conv_same(acts[-1], params[f"conv{k + 1}.weight"], params[f"conv{k + 1}.bias"])
        r = np.maximum(z, 0)
        caches.append((acts[-1], z, r))
        acts.append(maxpool2(r))
    g = acts[-1].mean(axis=(1, 2))
    logits = g @ params["dense.weight"] + params["dense.bias"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -logp[np.arange(BATCH), labels].mean()

    grads = {}
    dlogits = np.exp(logp)
    dlogits[np.arange(BATCH), labels] -= 1
    dlogits /= BATCH
    grads["dense.weight"] = g.T @ dlogits
    grads["dense.bias"] = dlogits.sum(axis=0)
    dg = dlogits @ params["dense.weight"].T
    last = acts[-1]
    d = np.broadcast_to(dg[:, None, None, :] / (last.shape[1] * last.shape[2]), last.shape).copy()
    for k in reversed(range(3)):
        xin, z, r = caches[k]
        dr = maxpool2_backward(r, d)
        dz = dr * (z > 0)
        d, grads[f"conv{k + 1}.weight"], grads[f"conv{k + 1}.bias"] = conv_same_backward(xin, params[f"conv{k + 1}.weight"], dz)

    os.makedirs(OUT, exist_ok=True)
    tensors = {"input": x, "logits": logits, "loss": np.array([loss]), "labels": labels.astype(np.float64)}
    tensors.update({f"param.{k}": v for k, v in params.items()})
    tensors.update({f"grad.{k}": v for k, v in grads.items()})
    index = {}
    for name, value in tensors.items():
        value.astype("<f4").tofile(os.path.join(OUT, name + ".f32"))
        index[name] = list(value.shape)
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=1, sort_keys=True)
    print(f"loss {loss:.6f}; wrote {len(tensors)} tensors to {OUT}")


if __name__ == "__main__":
    main()
