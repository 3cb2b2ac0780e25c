#!/usr/bin/env python3
"""Compares `reslab resize` with Pillow 13 (antialiased methods) and OpenCV (`--no-antialias`)
on any folder of photos, e.g. Imagenette, whose images may not be committed. Prints one line
per method and a total; nothing is written into the project.

    /tmp/peers/bin/python scripts/reference/resample_check_folder.py FOLDER [--count 20] [--reslab .build/release/reslab]

Each image is decoded once by Pillow (RGB or L) and stored as PNG in a temporary folder, so
that JPEG decoder differences stay out of the comparison; then it is resized to 1/8, 1/3.5,
2/3 and 1.5× its size by both programs.
"""
import argparse
import os
import subprocess
import tempfile

import cv2
import numpy as np
from PIL import Image

ap = argparse.ArgumentParser()
ap.add_argument("folder")
ap.add_argument("--count", type=int, default=20)
ap.add_argument("--reslab", default=".build/release/reslab")
args = ap.parse_args()

PILLOW = {m: getattr(Image.Resampling, m.upper()) for m in ("nearest", "box", "bilinear", "hamming", "bicubic", "lanczos")}
OPENCV = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC}
FACTORS = (1 / 8, 1 / 3.5, 2 / 3, 1.5)

paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.folder) for f in fs
               if f.lower().endswith((".jpg", ".jpeg", ".png")))[: args.count]
totals = {}
with tempfile.TemporaryDirectory() as tmp:
    for n, path in enumerate(paths):
        image = Image.open(path)
        image = image.convert("L" if image.mode in ("L", "1", "I;16") else "RGB")
        src = os.path.join(tmp, f"{n}.png")
        image.save(src)
        for factor in FACTORS:
            w, h = max(1, round(image.width * factor)), max(1, round(image.height * factor))
            for antialias, methods in ((True, PILLOW), (False, OPENCV)):
                for method, code in methods.items():
                    out = os.path.join(tmp, "out.png")
                    cmd = [args.reslab, "resize", src, "--size", f"{w}x{h}", "--method", method, "-o", out]
                    subprocess.run(cmd + ([] if antialias else ["--no-antialias"]), check=True, capture_output=True)
                    ours = np.asarray(Image.open(out), dtype=np.int16)
                    if antialias:
                        ref = np.asarray(image.resize((w, h), code, reducing_gap=None), dtype=np.int16)
                    else:
                        ref = cv2.resize(np.asarray(image), (w, h), interpolation=code).astype(np.int16)
                    d = np.abs(ours - ref)
                    key = ("pillow " if antialias else "opencv ") + method
                    t = totals.setdefault(key, [0, 0, 0, 0])
                    t[0] += d.size
                    t[1] += int((d > 0).sum())
                    t[2] += int((d > 1).sum())
                    t[3] = max(t[3], int(d.max()))
print(f"{len(paths)} images from {args.folder}, factors {', '.join(f'{f:.3g}' for f in FACTORS)}")
for key, (samples, differing, beyond, worst) in totals.items():
    print(f"{key:18s} {samples:9d} samples  {differing:7d} differ  {beyond:5d} by more than 1  largest {worst}")
