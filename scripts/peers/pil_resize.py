#!/usr/bin/env python3
"""Peer of `reslab bench resize`: Pillow resizing the same 256x256 JPEGs, timed like reslab's
(one warm-up pass over the images, then the median of 5 timings of >= 0.3 s each).

Writes the images first when --dir has none: 200 "photo-like" 256x256 RGB JPEGs (quality 90), a
smooth random colour field (8x8 values upscaled bicubic) plus Gaussian noise (sigma 6), seed 42.
Tasks: resize the decoded images to 32 and 128 px with BILINEAR, BICUBIC, LANCZOS and BOX
(reducing_gap=None: the exact filter), and JPEG bytes -> 32x32 array (decode + BILINEAR, and with
the DCT-domain draft decode). With --threads N > 1 the images are spread over a thread pool of N
(Pillow releases the GIL while decoding and resizing).

Usage: pil_resize.py --dir D --threads N
Prints one {"task": "32_BILINEAR" | "decode+bilinear32" | ..., "images_per_s": ..., "pillow": ...}
per task.
"""
import argparse
import os

from peer_common import emit, pin_threads

parser = argparse.ArgumentParser()
parser.add_argument("--dir", required=True)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()
pin_threads(args.threads)

import io  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402

import numpy as np  # noqa: E402
import PIL  # noqa: E402
from PIL import Image  # noqa: E402

COUNT, SIZE = 200, 256


def write_images():
    os.makedirs(args.dir, exist_ok=True)
    if any(name.endswith(".jpg") for name in os.listdir(args.dir)):
        return
    rng = np.random.default_rng(42)
    for i in range(COUNT):
        field = Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8), "RGB").resize((SIZE, SIZE), Image.BICUBIC)
        pixels = np.asarray(field, np.float32) + rng.normal(0, 6, (SIZE, SIZE, 3))
        Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB").save(os.path.join(args.dir, f"{i:04d}.jpg"), quality=90)


def rate(task, items):
    pool = ThreadPoolExecutor(args.threads) if args.threads > 1 else None

    def once():
        if pool:
            list(pool.map(task, items, chunksize=max(1, len(items) // (8 * args.threads))))
        else:
            for item in items:
                task(item)

    once()
    start = time.perf_counter()
    once()
    loops = max(1, int(0.3 / max(time.perf_counter() - start, 1e-6)))
    rates = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(loops):
            once()
        rates.append(len(items) * loops / (time.perf_counter() - start))
    return statistics.median(rates)


def decode(data, draft=False):
    image = Image.open(io.BytesIO(data))
    if draft:
        image.draft("RGB", (32, 32))
    image.load()
    return image


write_images()
names = sorted(name for name in os.listdir(args.dir) if name.endswith(".jpg"))
jpegs = [open(os.path.join(args.dir, name), "rb").read() for name in names]
images = [decode(data).convert("RGB") for data in jpegs]
for size in (32, 128):
    for name in ("BILINEAR", "BICUBIC", "LANCZOS", "BOX"):
        method = getattr(Image.Resampling, name)
        emit(task=f"{size}_{name}", images_per_s=rate(lambda im: im.resize((size, size), method, reducing_gap=None), images),
             pillow=PIL.__version__)
for task, draft in (("decode+bilinear32", False), ("draft+bilinear32", True)):
    emit(task=task, images_per_s=rate(lambda b: np.asarray(decode(b, draft).resize((32, 32), Image.BILINEAR, reducing_gap=None)), jpegs),
         pillow=PIL.__version__)
