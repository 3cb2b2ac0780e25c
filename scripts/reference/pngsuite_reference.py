#!/usr/bin/env python3
"""Writes Fixtures/pngsuite/reference/<name>.png: the pixels reslab must decode each valid
PngSuite file to, made independently of reslab's decoder.

The rules (docs/imageio.md) that this script implements:
- gAMA, cHRM, sRGB, iCCP and bKGD are ignored (as Pillow and libpng's classic API do).
- Gray at 1, 2 and 4 bits is scaled to 0-255 by bit replication (x * 255 / (2^depth - 1)).
- 16-bit samples keep their high byte (v >> 8), as Pillow does for RGB(A) and LA.
- tRNS makes the matching colour (compared at full bit depth) or palette entries transparent.
- Alpha is composited over white: out = (c*a + 255*(255 - a) + 127) // 255, all 8-bit integers.
- Gray (with or without alpha) stays one channel; palette and RGB give three.

Samples come from Pillow, except 16-bit RGB, which Pillow reduces to 8 bits before tRNS can
be compared at 16; those come from OpenCV (IMREAD_UNCHANGED, BGR order). The reference PNGs
are plain 8-bit gray or RGB without alpha, written by Pillow.

Run from the package root with the peers venv (numpy, Pillow, opencv-python-headless):
    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install numpy pillow opencv-python-headless
    /tmp/peers/bin/python scripts/reference/pngsuite_reference.py
"""
import pathlib
import struct

import cv2
import numpy as np
from PIL import Image

SUITE = pathlib.Path("Fixtures/pngsuite")
OUT = SUITE / "reference"
WHITE = 255


def chunks(path: pathlib.Path) -> dict:
    """The raw IHDR fields and tRNS bytes, read straight from the chunk list."""
    data = path.read_bytes()
    offset, found = 8, {}
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            found["depth"], found["colour"] = body[8], body[9]
        elif kind == b"tRNS":
            found["trns"] = body
        offset += 12 + length
    return found


def samples(path: pathlib.Path, info: dict) -> tuple[np.ndarray, np.ndarray | None]:
    """(8-bit colour samples shaped (H, W, C), 8-bit alpha or None). Pillow already keeps the
    high byte of 16-bit LA and RGBA; 16-bit gray and RGB are compared with tRNS at full depth
    and reduced here."""
    depth, colour, trns = info["depth"], info["colour"], info.get("trns")
    image = Image.open(path)
    if colour == 3:
        indices = np.array(image)
        palette = np.array(image.getpalette(), dtype=np.uint8).reshape(-1, 3)
        rgb = palette[indices]
        if trns is None:
            return rgb, None
        table = np.full(256, 255, dtype=np.uint8)
        table[:len(trns)] = np.frombuffer(trns, dtype=np.uint8)
        return rgb, table[indices]
    if colour in (4, 6):
        mode = "LA" if colour == 4 else "RGBA"
        values = np.array(image.convert(mode) if image.mode != mode else image)
        return values[..., :-1], values[..., -1]
    if colour == 0:
        if depth == 16:
            values = np.array(image).astype(np.uint16)[..., None]
        else:
            values = np.array(image.convert("L"))[..., None]
        if trns is None:
            return high_byte(values, depth), None
        key = struct.unpack(">H", trns[:2])[0]
        if depth < 8:
            key *= 255 // (2 ** depth - 1)
        return high_byte(values, depth), np.where(values[..., 0] == key, 0, 255).astype(np.uint8)
    # colour == 2, RGB
    if depth == 16:
        values = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)[..., 2::-1].astype(np.uint16)
    else:
        values = np.array(image.convert("RGB"))
    if trns is None:
        return high_byte(values, depth), None
    key = np.array(struct.unpack(">3H", trns[:6]))
    return high_byte(values, depth), np.where((values == key).all(axis=-1), 0, 255).astype(np.uint8)


def high_byte(values: np.ndarray, depth: int) -> np.ndarray:
    return (values >> 8).astype(np.uint8) if depth == 16 else values


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for path in sorted(SUITE.glob("[!x]*.png")):
        info = chunks(path)
        colour, alpha = samples(path, info)
        colour = colour.astype(np.int32)
        if alpha is not None:
            a = alpha.astype(np.int32)[..., None]
            colour = (colour * a + WHITE * (255 - a) + 127) // 255
        colour = colour.astype(np.uint8)
        mode = "L" if colour.shape[-1] == 1 else "RGB"
        Image.fromarray(colour[..., 0] if mode == "L" else colour, mode).save(OUT / path.name, optimize=True)


if __name__ == "__main__":
    main()
