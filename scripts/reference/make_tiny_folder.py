#!/usr/bin/env python3
"""Writes Fixtures/tiny-folder: a tiny class-per-folder dataset (3 shapes x 16 images).

Every image shows one filled shape (circle, square or triangle) on a plain background, at a
random place, size and colour; sizes vary from 24 to 40 px. Most files are RGB PNG; every fourth
is a JPEG and every eighth is grayscale, so that `reslab inspect` has formats and a grayscale
share to report; image 15 of each class is a progressive JPEG (for the truncation tests). Three files exercise the skipping rules: a hidden file, a text file with an
image-like name, and a truncated JPEG (found only when decoding).

Run from the package root with the peers venv (numpy, Pillow):
    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install numpy pillow
    /tmp/peers/bin/python scripts/reference/make_tiny_folder.py
"""
import io
import pathlib
import shutil

import numpy as np
from PIL import Image, ImageDraw

ROOT = pathlib.Path("Fixtures/tiny-folder")
CLASSES = ["circle", "square", "triangle"]
PER_CLASS = 16


def draw(shape: str, rng: np.random.Generator) -> Image.Image:
    size = int(rng.integers(24, 41))
    background = tuple(int(v) for v in rng.integers(0, 256, 3))
    colour = tuple(int(255 - v) for v in background)
    image = Image.new("RGB", (size, size), background)
    extent = int(rng.integers(size // 2, size - 2))
    x0, y0 = (int(v) for v in rng.integers(0, size - extent, 2))
    box = [x0, y0, x0 + extent, y0 + extent]
    pen = ImageDraw.Draw(image)
    if shape == "circle":
        pen.ellipse(box, fill=colour)
    elif shape == "square":
        pen.rectangle(box, fill=colour)
    else:
        pen.polygon([(x0, y0 + extent), (x0 + extent, y0 + extent), (x0 + extent // 2, y0)], fill=colour)
    return image


def main() -> None:
    shutil.rmtree(ROOT, ignore_errors=True)
    rng = np.random.default_rng(20261126)
    for shape in CLASSES:
        folder = ROOT / shape
        folder.mkdir(parents=True)
        for index in range(PER_CLASS):
            image = draw(shape, rng)
            if index % 8 == 7:
                image = image.convert("L")
            if index % 4 == 3:
                image.save(folder / f"{shape}_{index:02d}.jpg", quality=90, progressive=index == 15)
            else:
                image.save(folder / f"{shape}_{index:02d}.png", optimize=True)
    (ROOT / "circle" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (ROOT / "square" / "notes.png").write_text("not an image, despite its name\n")
    whole = io.BytesIO()
    draw("triangle", rng).save(whole, format="JPEG", quality=90)
    (ROOT / "triangle" / "truncated.jpg").write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])


if __name__ == "__main__":
    main()
