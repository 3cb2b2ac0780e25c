#!/usr/bin/env python3
"""Reference tensors for NNTests/ResidualGraphTests: a small branched network (residual blocks
with an identity and a 1x1 projection shortcut, a depthwise convolution, a squeeze-and-excitation
gate, a concat) computed independently in float64 numpy: evaluation-mode logits, the
training-mode loss, and the gradient of the loss with respect to every parameter.

Forward passes are written directly from the definitions (NHWC, weights (kh, kw, C/groups, F),
TensorFlow SAME padding, batch norm over N, H, W with the biased batch variance and eps 1e-5).
Gradients are float64 central differences of the training-mode loss (step 1e-5: truncation
~1e-10, rounding ~1e-11, far below the 1e-4 the Swift test allows), so they share no code or
derivation with the Swift backward passes.

Graph (node: layer <- inputs), input 2 images of 8x8x3, 5 classes:
    stem: conv 3x3 8 <- input        bn1: bn <- stem          r1: relu <- bn1
    c2: conv 3x3 8 <- r1             bn2: bn <- c2            r2: relu <- bn2
    c3: conv 3x3 8 <- r2             sum1: add <- c3, r1      r3: relu <- sum1
    dw: conv 3x3 8 stride 2 groups 8 <- r3                    r4: relu6 <- dw
    pw: conv 1x1 12 <- r4            proj: conv 1x1 12 stride 2 <- r3
    sum2: add <- pw, proj            sq: gap <- sum2          fc1: dense 3 <- sq
    fr: relu <- fc1                  fc2: dense 12 <- fr      gate: sigmoid <- fc2
    se: mul <- sum2, gate            br: conv 1x1 4 <- se     cat: concat <- se, br
    pool: gap <- cat                 fc: dense 5 <- pool

Run from the package root (numpy 2.x):
    python3 scripts/reference/nn_reference_graph.py
Writes Fixtures/nn/residual_graph/<name>.f32 (raw little-endian float32) and index.json.
"""
import json
import os

import numpy as np

OUT = os.path.join("Fixtures", "nn", "residual_graph")
BATCH, SIZE, CHANNELS, CLASSES = 2, 8, 3, 5
EPS = 1e-5

NODES = [
    ("stem", "conv 3x3 8", ["input"]), ("bn1", "bn", ["stem"]), ("r1", "relu", ["bn1"]),
    ("c2", "conv 3x3 8", ["r1"]), ("bn2", "bn", ["c2"]), ("r2", "relu", ["bn2"]),
    ("c3", "conv 3x3 8", ["r2"]), ("sum1", "add", ["c3", "r1"]), ("r3", "relu", ["sum1"]),
    ("dw", "conv 3x3 8 stride 2 groups 8", ["r3"]), ("r4", "relu6", ["dw"]),
    ("pw", "conv 1x1 12", ["r4"]), ("proj", "conv 1x1 12 stride 2", ["r3"]),
    ("sum2", "add", ["pw", "proj"]), ("sq", "gap", ["sum2"]), ("fc1", "dense 3", ["sq"]),
    ("fr", "relu", ["fc1"]), ("fc2", "dense 12", ["fr"]), ("gate", "sigmoid", ["fc2"]),
    ("se", "mul", ["sum2", "gate"]), ("br", "conv 1x1 4", ["se"]), ("cat", "concat", ["se", "br"]),
    ("pool", "gap", ["cat"]), ("fc", "dense 5", ["pool"]),
]

# (node, role, shape) in the order the Swift arena holds them.
PARAMS = [
    ("stem", "weight", (3, 3, 3, 8)), ("stem", "bias", (8,)),
    ("bn1", "scale", (8,)), ("bn1", "shift", (8,)),
    ("c2", "weight", (3, 3, 8, 8)), ("c2", "bias", (8,)),
    ("bn2", "scale", (8,)), ("bn2", "shift", (8,)),
    ("c3", "weight", (3, 3, 8, 8)), ("c3", "bias", (8,)),
    ("dw", "weight", (3, 3, 1, 8)), ("dw", "bias", (8,)),
    ("pw", "weight", (1, 1, 8, 12)), ("pw", "bias", (12,)),
    ("proj", "weight", (1, 1, 8, 12)), ("proj", "bias", (12,)),
    ("fc1", "weight", (12, 3)), ("fc1", "bias", (3,)),
    ("fc2", "weight", (3, 12)), ("fc2", "bias", (12,)),
    ("br", "weight", (1, 1, 12, 4)), ("br", "bias", (4,)),
    ("fc", "weight", (16, 5)), ("fc", "bias", (5,)),
]


def conv(x, w, b, stride=1, groups=1):
    """SAME-padded convolution: output ceil(n / s), total padding max((o-1)s + k - n, 0),
    the odd pixel after; group q reads channels q*Cg.. and writes filters q*Fg.."""
    n, h, wd, c = x.shape
    kh, kw, cg, f = w.shape
    ho, wo = -(-h // stride), -(-wd // stride)
    ph, pw = max((ho - 1) * stride + kh - h, 0), max((wo - 1) * stride + kw - wd, 0)
    xp = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    fg = f // groups
    y = np.zeros((n, ho, wo, f))
    for q in range(groups):
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, i:i + (ho - 1) * stride + 1:stride, j:j + (wo - 1) * stride + 1:stride, q * cg:(q + 1) * cg]
                y[..., q * fg:(q + 1) * fg] += np.einsum("nhwc,cf->nhwf", patch, w[i, j, :, q * fg:(q + 1) * fg])
    return y + b


def batchnorm(x, gamma, beta, training):
    if training:
        mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
    else:
        mean, var = np.zeros(x.shape[-1]), np.ones(x.shape[-1])   # the initial running statistics
    return gamma * (x - mean) / np.sqrt(var + EPS) + beta


def forward(params, x, training):
    p = params
    t = {"input": x}
    t["stem"] = conv(x, p["stem.weight"], p["stem.bias"])
    t["r1"] = np.maximum(batchnorm(t["stem"], p["bn1.scale"], p["bn1.shift"], training), 0)
    t["c2"] = conv(t["r1"], p["c2.weight"], p["c2.bias"])
    t["r2"] = np.maximum(batchnorm(t["c2"], p["bn2.scale"], p["bn2.shift"], training), 0)
    t["c3"] = conv(t["r2"], p["c3.weight"], p["c3.bias"])
    t["r3"] = np.maximum(t["c3"] + t["r1"], 0)
    t["r4"] = np.clip(conv(t["r3"], p["dw.weight"], p["dw.bias"], stride=2, groups=8), 0, 6)
    t["sum2"] = conv(t["r4"], p["pw.weight"], p["pw.bias"]) + conv(t["r3"], p["proj.weight"], p["proj.bias"], stride=2)
    squeeze = t["sum2"].mean(axis=(1, 2))
    hidden = np.maximum(squeeze @ p["fc1.weight"] + p["fc1.bias"], 0)
    gate = 1 / (1 + np.exp(-(hidden @ p["fc2.weight"] + p["fc2.bias"])))
    t["se"] = t["sum2"] * gate[:, None, None, :]
    branch = conv(t["se"], p["br.weight"], p["br.bias"])
    pooled = np.concatenate([t["se"], branch], axis=3).mean(axis=(1, 2))
    return pooled @ p["fc.weight"] + p["fc.bias"]


def loss(params, x, labels):
    z = forward(params, x, training=True)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(labels)), labels].mean()


def main():
    rng = np.random.default_rng(20261130)
    params = {}
    for node, role, shape in PARAMS:
        if role == "weight":
            fan_in = int(np.prod(shape[:-1]))
            params[f"{node}.{role}"] = rng.uniform(-1, 1, shape) * np.sqrt(3 / fan_in)
        elif role == "scale":
            params[f"{node}.{role}"] = rng.uniform(0.6, 1.4, shape)
        else:
            params[f"{node}.{role}"] = rng.uniform(-0.3, 0.3, shape)
    x = rng.uniform(-1, 1, (BATCH, SIZE, SIZE, CHANNELS))
    # The Swift side reads float32: compute from exactly the values it gets.
    params = {key: value.astype(np.float32).astype(np.float64) for key, value in params.items()}
    x = x.astype(np.float32).astype(np.float64)
    labels = np.array([3, 1])

    logits = forward(params, x, training=False)
    center = loss(params, x, labels)
    grads = {}
    h = 1e-5
    for key, value in params.items():
        g = np.zeros_like(value)
        flat, gflat = value.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            saved = flat[i]
            flat[i] = saved + h
            plus = loss(params, x, labels)
            flat[i] = saved - h
            minus = loss(params, x, labels)
            flat[i] = saved
            gflat[i] = (plus - minus) / (2 * h)
        grads[key] = g

    os.makedirs(OUT, exist_ok=True)

    def write(name, array):
        np.asarray(array, dtype="<f4").tofile(os.path.join(OUT, name + ".f32"))

    write("input", x)
    write("labels", labels)
    write("logits", logits)
    write("loss", [center])
    for key in params:
        write("param." + key, params[key])
        write("grad." + key, grads[key])
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump({"nodes": [{"name": n, "layer": l, "inputs": i} for n, l, i in NODES],
                   "params": [{"node": n, "role": r, "shape": list(s)} for n, r, s in PARAMS],
                   "batch": BATCH, "size": SIZE, "channels": CHANNELS, "classes": CLASSES,
                   "loss": float(center)}, f, indent=1)


if __name__ == "__main__":
    main()
