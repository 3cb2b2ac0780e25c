#!/usr/bin/env python3
"""Writes Fixtures/jpeg/reference/<name>.png: Pillow's decode of each 8-bit JPEG in
Fixtures/jpeg, upright (ImageOps.exif_transpose), as 8-bit gray ("L") or RGB.

Pillow converts CMYK to RGB as R = nk * (255 - C) / 255 with
nk = 255 - K, after inverting Adobe files; reslab does the same, so reslab's decodes should
match within +-2 per channel (libjpeg-turbo builds differ in IDCT and upsampling details).
ljt_monkey12.jpg is 12-bit and is skipped (reslab refuses it as unsupported).

Run from the package root with the peers venv (Pillow):
    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install pillow
    /tmp/peers/bin/python scripts/reference/jpeg_reference.py
"""
import pathlib

from PIL import Image, ImageOps

FOLDER = pathlib.Path("Fixtures/jpeg")
OUT = FOLDER / "reference"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for path in sorted(FOLDER.glob("*.jpg")):
        if path.name == "ljt_monkey12.jpg":
            continue
        image = ImageOps.exif_transpose(Image.open(path))
        image = image.convert("L" if image.mode == "L" else "RGB")
        image.save(OUT / (path.stem + ".png"), optimize=True)


if __name__ == "__main__":
    main()
