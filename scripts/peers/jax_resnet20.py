#!/usr/bin/env python3
"""Peer of `reslab bench train --model resnet-20`: the same ResNet-20 training step in JAX (XLA on
the CPU, the whole step jitted), timed like reslab's (two warm-up steps, which include the
compilation, then the median of windows of >= S seconds).

The model is reslab's zoo `resnet-20` exactly (He et al. 2016, CIFAR variant, option B): a 3x3
stem of 16 filters, three stages of three basic blocks at 16, 32, 64 filters (the first block of
stages 2 and 3 with stride 2, pad 1, and a 1x1 stride-2 convolution + BN projection shortcut),
every convolution with a bias as reslab's, BN after every convolution in training mode (batch
statistics, running averages updated), ReLU, global average pool, dense 64 -> 10: 273,258
parameters (asserted). Softmax cross-entropy, SGD with momentum 0.9 (v = 0.9 v + g, p -= lr v),
lr 0.1, NHWC float32, random inputs uniform in [0, 1), labels i mod 10.

Usage: jax_resnet20.py --threads N [--batch 128] [--size 32] [--seconds 1] [--windows 3 | --serve]
Prints {"images_per_s": ..., "images_per_cpu_s": ..., "threads": N, "jax": ..., "parameters": 273258}
(with --serve: that information on the ready line, then a line per window; peer_common.py).
"""
import argparse

from peer_common import add_window_arguments, pin_threads, report_windows

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--batch", type=int, default=128)
parser.add_argument("--size", type=int, default=32)
add_window_arguments(parser, seconds=1.0)
args = parser.parse_args()
pin_threads(args.threads)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

CLASSES, EPSILON, BN_MOMENTUM, LR, MOMENTUM = 10, 1e-5, 0.1, 0.1, 0.9


def layout():
    """(name, kernel, in, out, stride) of every convolution, and the block structure."""
    convs, blocks, channels = [("stem", 3, 3, 16, 1)], [], 16
    for stage, filters in enumerate((16, 32, 64)):
        for index in range(3):
            stride = 2 if stage > 0 and index == 0 else 1
            name = f"s{stage}b{index}"
            convs += [(name + "c1", 3, channels, filters, stride), (name + "c2", 3, filters, filters, 1)]
            if stride > 1:
                convs.append((name + "proj", 1, channels, filters, stride))
            blocks.append((name, stride > 1))
            channels = filters
    return convs, blocks


CONVS, BLOCKS = layout()


def init(seed=1):
    rng = np.random.default_rng(seed)
    params, state = {}, {}
    for name, k, cin, cout, _ in CONVS:
        params[name] = {"w": rng.standard_normal((k, k, cin, cout)).astype(np.float32) * np.sqrt(2 / (k * k * cin)),
                        "b": np.zeros(cout, np.float32), "gamma": np.ones(cout, np.float32), "beta": np.zeros(cout, np.float32)}
        state[name] = {"mean": np.zeros(cout, np.float32), "var": np.ones(cout, np.float32)}
    params["dense"] = {"w": rng.standard_normal((64, CLASSES)).astype(np.float32) / 8, "b": np.zeros(CLASSES, np.float32)}
    return jax.tree_util.tree_map(jnp.asarray, params), jax.tree_util.tree_map(jnp.asarray, state)


def conv_bn(p, s, name, x, k, stride):
    """conv (pad 1 for 3x3, 0 for 1x1, PyTorch's) + bias, then batch norm over (N, H, W)."""
    pad = ((k // 2, k // 2), (k // 2, k // 2))
    y = jax.lax.conv_general_dilated(x, p[name]["w"], (stride, stride), pad, dimension_numbers=("NHWC", "HWIO", "NHWC"))
    y = y + p[name]["b"]
    mean, var = y.mean(axis=(0, 1, 2)), y.var(axis=(0, 1, 2))
    count = y.shape[0] * y.shape[1] * y.shape[2]
    new = {"mean": (1 - BN_MOMENTUM) * s[name]["mean"] + BN_MOMENTUM * mean,
           "var": (1 - BN_MOMENTUM) * s[name]["var"] + BN_MOMENTUM * var * count / (count - 1)}
    return (y - mean) * jax.lax.rsqrt(var + EPSILON) * p[name]["gamma"] + p[name]["beta"], new


def loss_fn(p, s, x, labels):
    kernels = {name: (k, stride) for name, k, _, _, stride in CONVS}
    new_state = {}

    def apply(name, x):
        y, new_state[name] = conv_bn(p, s, name, x, *kernels[name])
        return y

    x = jax.nn.relu(apply("stem", x))
    for name, projected in BLOCKS:
        y = apply(name + "c2", jax.nn.relu(apply(name + "c1", x)))
        x = jax.nn.relu(y + (apply(name + "proj", x) if projected else x))
    logits = x.mean(axis=(1, 2)) @ p["dense"]["w"] + p["dense"]["b"]
    loss = -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], axis=1))
    return loss, new_state


@jax.jit
def step(p, s, v, x, labels):
    (loss, s), g = jax.value_and_grad(loss_fn, has_aux=True)(p, s, x, labels)
    v = jax.tree_util.tree_map(lambda v, g: MOMENTUM * v + g, v, g)
    p = jax.tree_util.tree_map(lambda p, v: p - LR * v, p, v)
    return p, s, v, loss


params, state = init()
count = sum(int(np.prod(a.shape)) for a in jax.tree_util.tree_leaves(params))
assert count == 273_258, count  # reslab's zoo resnet-20 (option B, conv biases)
velocity = jax.tree_util.tree_map(jnp.zeros_like, params)
rng = np.random.default_rng(2)
x = jnp.asarray(rng.uniform(0, 1, (args.batch, args.size, args.size, 3)).astype(np.float32))
labels = jnp.asarray(np.arange(args.batch) % CLASSES)
holder = [params, state, velocity]


def one_step():
    holder[0], holder[1], holder[2], loss = step(holder[0], holder[1], holder[2], x, labels)
    loss.block_until_ready()


report_windows(args, one_step, args.batch, threads=args.threads, jax=jax.__version__, parameters=count)
