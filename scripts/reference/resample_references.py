#!/usr/bin/env python3
"""Writes the reference resizes that Tests/ResampleTests compares against (run once; the outputs
are committed so that the Swift tests need no Python).

    python3 -m venv /tmp/peers
    /tmp/peers/bin/pip install numpy==2.4.6 pillow==13.0.0 opencv-python-headless
    /tmp/peers/bin/python scripts/reference/resample_references.py

Inputs: crops of real photos from the Pillow and libjpeg-turbo test images (licences beside
them in Fixtures/resample/), decoded by Pillow and stored as PNG so that JPEG decoder
differences cannot leak into the comparison.

Outputs, all under Fixtures/resample/:
  inputs/<name>.png             the input crops
  references/<library>_<name>.png  every resize of that input, stacked top to bottom, left aligned
  references.tsv                library, input, method, width, height, y of the output in its atlas

Pillow: Image.resize((w, h), filter, reducing_gap=None) for nearest, box, bilinear, hamming,
bicubic, lanczos (reslab's antialiased methods). OpenCV: cv2.resize with INTER_NEAREST,
INTER_LINEAR, INTER_CUBIC (reslab's "-noaa" methods).
"""
import os

import cv2
import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures", "resample")
CONFORMANCE = os.environ.get("RESLAB_CONFORMANCE", os.path.join(ROOT, "..", "shared", "datasets", "conformance", "jpeg"))

# name: (source file, crop box (left, top, right, bottom))
INPUTS = {
    "flower": ("pil_flower.jpg", (220, 110, 316, 182)),        # 96×72 RGB
    "testorig": ("ljt_testorig.jpg", (70, 40, 143, 93)),       # 73×53 RGB, odd sizes
    "hopper_gray": ("pil_hopper_gray.jpg", (16, 24, 112, 96)),  # 96×72 gray
    "flower_small": ("pil_flower.jpg", (300, 200, 324, 216)),   # 24×16 RGB, for upscaling
    "hopper_small": ("pil_hopper_gray.jpg", (50, 40, 70, 56)),  # 20×16 gray, for upscaling
}
DOWN = [1 / 8, 1 / 7, 1 / 3.5, 1 / 2, 2 / 3]
UP = [1.5, 2, 3]

PILLOW = {
    "nearest": Image.Resampling.NEAREST,
    "box": Image.Resampling.BOX,
    "bilinear": Image.Resampling.BILINEAR,
    "hamming": Image.Resampling.HAMMING,
    "bicubic": Image.Resampling.BICUBIC,
    "lanczos": Image.Resampling.LANCZOS,
}
OPENCV = {
    "nearest-noaa": cv2.INTER_NEAREST,
    "bilinear-noaa": cv2.INTER_LINEAR,
    "bicubic-noaa": cv2.INTER_CUBIC,
}


def sizes(w, h, small):
    """Output sizes for one input: each factor on both axes, plus non-square targets."""
    out = [(max(1, round(w * f)), max(1, round(h * f))) for f in (UP if small else DOWN)]
    out.append((w * 5 // 6, h * 3) if small else (w // 3, round(h / 1.5)))
    return out


def atlas(images):
    width = max(a.shape[1] for a in images)
    height = sum(a.shape[0] for a in images)
    sheet = np.zeros((height, width) + images[0].shape[2:], np.uint8)
    ys, y = [], 0
    for a in images:
        sheet[y:y + a.shape[0], :a.shape[1]] = a
        ys.append(y)
        y += a.shape[0]
    return sheet, ys


def main():
    os.makedirs(os.path.join(OUT, "inputs"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "references"), exist_ok=True)
    rows = ["library\tinput\tmethod\twidth\theight\ty"]
    for name, (source, box) in INPUTS.items():
        image = Image.open(os.path.join(CONFORMANCE, source)).crop(box)
        image.save(os.path.join(OUT, "inputs", name + ".png"))
        array = np.asarray(image)
        targets = sizes(image.width, image.height, name.endswith("_small"))
        for library, methods in (("pillow", PILLOW), ("opencv", OPENCV)):
            outputs, labels = [], []
            for method, code in methods.items():
                for w, h in targets:
                    if library == "pillow":
                        result = np.asarray(image.resize((w, h), code, reducing_gap=None))
                    else:
                        result = cv2.resize(array, (w, h), interpolation=code)
                    outputs.append(result)
                    labels.append((method, w, h))
            sheet, ys = atlas(outputs)
            Image.fromarray(sheet).save(os.path.join(OUT, "references", f"{library}_{name}.png"), optimize=True)
            rows += [f"{library}\t{name}\t{m}\t{w}\t{h}\t{y}" for (m, w, h), y in zip(labels, ys)]
    with open(os.path.join(OUT, "references.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
